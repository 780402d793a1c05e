package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillSpecTest {
    static Map<String, String> pairs(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : text.split(" ")) {
            m.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return m;
    }

    static void assertUsage(String text, String message) {
        assertThatThrownBy(() -> BackfillSpec.parse(pairs(text), "f.sql:3"))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("f.sql:3: " + message);
    }

    @Test
    void theDesignExample() {
        BackfillSpec s = BackfillSpec.parse(pairs("table=users key=id batch=5000 pause=20ms max-lag=2s"), "f.sql:1");
        assertThat(s).isEqualTo(new BackfillSpec(null, "users", java.util.List.of("id"), null, 5000, 100, 50_000, Duration.ofMillis(200),
                Duration.ofMillis(20), Duration.ofSeconds(2)));
        assertThat(s.qualifiedTable()).isEqualTo("\"users\"");
    }

    @Test
    void defaults() {
        BackfillSpec s = BackfillSpec.parse(pairs("table=app.users key=user_id"), "f.sql:1");
        assertThat(s.qualifiedTable()).isEqualTo("\"app\".\"users\"");
        assertThat(s.batch()).isEqualTo(1000);
        assertThat(s.minBatch()).isEqualTo(100);
        assertThat(s.maxBatch()).isEqualTo(10_000);
        assertThat(s.target()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.pause()).isZero();
        assertThat(s.maxLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BackfillSpec.parse(pairs("table=t key=id batch=10 target=0 max-lag=0"), "x").minBatch()).isEqualTo(10);
        assertThat(BackfillSpec.parse(pairs("table=t key=id target=0 max-lag=0"), "x").maxLag()).isZero();
    }

    @Test
    void compositeKeysAndJavaClasses() {
        BackfillSpec s = BackfillSpec.parse(pairs("table=orders key=tenant_id,id class=com.acme.Fix$Inner"), "f.sql:1");
        assertThat(s.key()).containsExactly("tenant_id", "id");
        assertThat(s.keyText()).isEqualTo("tenant_id, id");
        assertThat(s.className()).isEqualTo("com.acme.Fix$Inner");
        assertThat(s.java()).isTrue();
        assertThat(BackfillSpec.parse(pairs("table=t key=id"), "x").java()).isFalse();
    }

    @Test
    void badValuesNameTheFileLineAndKey() {
        assertUsage("table=t key=id bacth=10", "unknown backfill key 'bacth' (known: table, key, class, batch, min-batch, max-batch,"
                + " target, pause, max-lag)");
        assertUsage("key=id", "backfill needs table=<table> (e.g. '-- runway:backfill table=users key=id batch=5000')");
        assertUsage("table=t", "backfill needs key=<key column(s)> (e.g. '-- runway:backfill table=users key=id batch=5000')");
        assertUsage("table=t key=a,,b", "backfill key='a,,b' is not a plain name (letters, digits, _; tenant_id,id for a composite key)");
        assertUsage("table=t key=a,b,a", "backfill key='a,b,a' names a twice");
        assertUsage("table=t key=id class=com..Fix", "backfill class='com..Fix' is not a Java class name"
                + " (e.g. class=com.acme.backfill.NormalizePhones)");
        assertUsage("table=t key=id batch=lots", "backfill batch='lots' is not a whole number from 1 to 1000000");
        assertUsage("table=t key=id batch=0", "backfill batch='0' is not a whole number from 1 to 1000000");
        assertUsage("table=t key=id pause=soon", "backfill pause: 'soon' is not a duration (write e.g. 500ms, 3s, 2m, 1h)");
        assertUsage("table=t key=id max-lag=2", "backfill max-lag: '2' is not a duration (write e.g. 500ms, 3s, 2m, 1h)");
        assertUsage("table=t;drop key=id", "backfill table='t;drop' is not a plain name (letters, digits, _; schema.table for"
                + " another schema)");
        assertUsage("table=t key=id batch=50 min-batch=100", "backfill needs min-batch <= batch <= max-batch (got 100 <= 50 <= 500)");
    }
}
