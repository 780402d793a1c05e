package dev.runway.lab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.runway.core.pg.PgSession;
import dev.runway.lab.Lab;
import dev.runway.lab.Leftovers;
import dev.runway.lab.internal.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs scenario classes in a launcher of their own (their own root context, so their shared labs
 * close when it ends) and checks across classes: same spec = same lab, a class database per class
 * dropped after it, a delay changed by one class reset for the next, exclusive labs closed after
 * their class, and nothing running once the launcher is done.
 */
class LabExtensionLifecycleIT {
    /** What the scenario classes saw, in order; read after the launcher returns. */
    private static final List<Object[]> SEEN = new ArrayList<>();

    @Test
    void sharesPerSpecResetsDelaysDropsDatabasesClosesAtTheEnd() throws Exception {
        SEEN.clear();
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ChangesDelay.class), selectClass(SeesReset.class), selectClass(Exclusive.class))
                .configurationParameter("runway.lab.scenario", "true")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(req, listener);
        TestExecutionSummary s = listener.getSummary();
        assertThat(s.getFailures()).as("scenario failures").isEmpty();
        assertThat(s.getTestsSucceededCount()).isEqualTo(3);

        Lab first = (Lab) SEEN.get(0)[0];
        Lab second = (Lab) SEEN.get(1)[0];
        Lab exclusive = (Lab) SEEN.get(2)[0];
        assertThat(second).as("same spec, same lab").isSameAs(first);
        assertThat(exclusive).isNotSameAs(first);
        assertThat(SEEN.get(1)[2]).as("delay seen by the second class").isEqualTo(Duration.ZERO);
        assertThat(SEEN.get(1)[3]).as("first class's database still there for the second").isEqualTo(false);
        for (Object[] seen : SEEN) {
            Path dir = (Path) seen[4];
            Leftovers.assertNoneWithin(dir, 10);
            assertThat(Files.exists(dir)).as(dir + " deleted").isFalse();
        }
    }

    /** Enables the scenario classes only inside the launcher above. */
    static final class OnlyInScenario implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
            return ctx.getConfigurationParameter("runway.lab.scenario").isPresent()
                    ? ConditionEvaluationResult.enabled("scenario run")
                    : ConditionEvaluationResult.disabled("runs only inside LabExtensionLifecycleIT");
        }
    }

    @ExtendWith(OnlyInScenario.class)
    static class ChangesDelay {
        @RegisterExtension
        static final LabExtension LAB = LabExtension.withReplicas(1);

        @Test
        void slowsReplica1Down() {
            LAB.lab().node("replica1").setUpstreamDelay(Duration.ofMillis(30));
            SEEN.add(new Object[] {LAB.lab(), LAB.database(), LAB.lab().node("replica1").upstreamDelay(), null, LAB.lab().dir()});
        }
    }

    @ExtendWith(OnlyInScenario.class)
    static class SeesReset {
        @RegisterExtension
        static final LabExtension LAB = LabExtension.withReplicas(1);

        @Test
        void findsTheSpecDelayAgain() throws Exception {
            String previousDb = (String) SEEN.get(0)[1];
            boolean previousExists;
            try (Connection c = LAB.connect()) {
                previousExists = Sql.one(c, "SELECT count(*) FROM pg_database WHERE datname = " + PgSession.literal(previousDb)).equals("1");
            }
            assertThat(LAB.database()).isNotEqualTo(previousDb);
            SEEN.add(new Object[] {LAB.lab(), LAB.database(), LAB.lab().node("replica1").upstreamDelay(), previousExists, LAB.lab().dir()});
        }
    }

    @ExtendWith(OnlyInScenario.class)
    static class Exclusive {
        @RegisterExtension
        static final LabExtension LAB = LabExtension.primary().exclusive();

        @Test
        void hasItsOwn() {
            SEEN.add(new Object[] {LAB.lab(), LAB.database(), null, null, LAB.lab().dir()});
        }
    }
}
