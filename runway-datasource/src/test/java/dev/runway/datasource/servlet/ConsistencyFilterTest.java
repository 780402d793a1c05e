package dev.runway.datasource.servlet;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The filter refuses to be created where it would silently do nothing (no database needed: pools connect lazily). */
class ConsistencyFilterTest {
    private static final String PRIMARY = "postgres://u:hunter2@127.0.0.1:1/db";

    @Test
    void refusedWithoutSecretWhereReadsUseAReplica() {
        try (RunwayDataSource ds = RunwayDataSource.create(RegionConfig.builder().region("syd").primaryRegion("ams")
                .primaryUrl(PRIMARY).replicaUrl("postgres://u:hunter2@127.0.0.1:2/db").build())) {
            assertThatThrownBy(() -> new ConsistencyFilter(ds)).isInstanceOf(RunwayException.class)
                    .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
            assertThatThrownBy(() -> new ConsistencyFilter(ds))
                    .hasMessageContaining("RUNWAY_TOKEN_SECRET").hasMessageContaining("FLY_REGION=syd")
                    .hasMessageContaining("fly secrets set").hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void acceptedWithSecretOrWithoutReplica() {
        try (RunwayDataSource withSecret = RunwayDataSource.create(RegionConfig.builder().region("syd").primaryRegion("ams")
                .primaryUrl(PRIMARY).replicaUrl("postgres://u@127.0.0.1:2/db")
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build());
                RunwayDataSource primaryRegion = RunwayDataSource.create(RegionConfig.builder().region("ams").primaryRegion("ams")
                        .primaryUrl(PRIMARY).build());
                RunwayDataSource laptop = RunwayDataSource.create(RegionConfig.builder().primaryUrl(PRIMARY).build())) {
            assertThatCode(() -> new ConsistencyFilter(withSecret)).doesNotThrowAnyException();
            assertThatCode(() -> new ConsistencyFilter(primaryRegion)).doesNotThrowAnyException();
            assertThatCode(() -> new ConsistencyFilter(laptop)).doesNotThrowAnyException();
        }
    }
}
