package dev.runway.backfill;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cascaded replica (replica2 streams from replica1, so the primary's pg_stat_replication does not
 * list it) counts for max-lag when the replicas are given by URL: pausing its replay holds the
 * backfill, for a role without pg_monitor.
 */
class CascadeThrottleIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).exclusive();

    @TempDir
    Path tmp;

    @Test
    void aCascadedReplicaThatLagsHoldsTheBackfill() throws Exception {
        Node r1 = LAB.lab().node("replica1");
        Node r2 = LAB.lab().node("replica2");
        r2.streamFrom(r1);
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(20_000).data("1_touch.sql", ThrottleIT.THROTTLED)
                .asOrdinaryRole("app_plain", "t");
        Backfiller runner = new Backfiller(BackfillConfig.builder()
                .replica(DatabaseUrl.of(r1.host(), r1.port(), f.url.database(), "app_plain", null))
                .replica(DatabaseUrl.of(r2.host(), r2.port(), f.url.database(), "app_plain", null)).build());
        ThrottleIT.assertWaitsWhilePaused(f, r2, runner, "replica2");
    }
}
