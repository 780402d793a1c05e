package dev.runway.core.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RolloutTest {
    private static final int SUBJECTS = 100_000;

    @Test
    void theShareOfSubjectsIsWithinOnePercentOfP() {
        for (String flag : new String[] {"new_ui", "checkout.v2", "x"}) {
            long seed = Rollout.seed(flag);
            for (int p : new int[] {1, 5, 10, 25, 50, 75, 99}) {
                int onStrings = 0;
                int onIds = 0;
                int onUuids = 0;
                for (int i = 0; i < SUBJECTS; i++) {
                    onStrings += Rollout.bucket(seed, "user-" + i) < p ? 1 : 0;
                    onIds += Rollout.bucket(seed, (long) i) < p ? 1 : 0;
                    onUuids += Rollout.bucket(seed, new UUID(flag.hashCode(), i).toString()) < p ? 1 : 0;
                }
                for (int on : new int[] {onStrings, onIds, onUuids}) {
                    assertThat(100.0 * on / SUBJECTS).as("%s at %d%%", flag, p).isBetween(p - 1.0, p + 1.0);
                }
            }
        }
    }

    @Test
    void aLongSubjectIsItsDecimalText() {
        long seed = Rollout.seed("new_ui");
        for (long id : new long[] {0, 7, 42, 1234, 99_999, 123_456_789L, 9_999_999_999_999_999L, Long.MAX_VALUE, -1, -42, Long.MIN_VALUE}) {
            assertThat(Rollout.bucket(seed, id)).as("%d", id).isEqualTo(Rollout.bucket(seed, Long.toString(id)));
        }
        for (long id = 0; id < 100_000; id += 7) {
            assertThat(Rollout.bucket(seed, id)).isEqualTo(Rollout.bucket(seed, Long.toString(id)));
        }
    }

    /** Fixed values: a change here would move users between buckets on the next deploy. */
    @Test
    void bucketsNeverChangeBetweenVersions() {
        long seed = Rollout.seed("new_ui");
        assertThat(new int[] {Rollout.bucket(seed, "alice"), Rollout.bucket(seed, "bob"), Rollout.bucket(seed, 42L),
                Rollout.bucket(seed, ""), Rollout.bucket(Rollout.seed("other"), "alice")}).containsExactly(GOLDEN);
    }

    static final int[] GOLDEN = {73, 35, 71, 88, 55};

    @Test
    void differentFlagsPickIndependentSubjects() {
        long a = Rollout.seed("flag_a");
        long b = Rollout.seed("flag_b");
        int both = 0;
        for (int i = 0; i < SUBJECTS; i++) {
            if (Rollout.bucket(a, "user-" + i) < 10 && Rollout.bucket(b, "user-" + i) < 10) {
                both++;
            }
        }
        assertThat(100.0 * both / SUBJECTS).as("10%% x 10%% overlap").isBetween(0.7, 1.3);
    }

    @Test
    void everyBucketIsInRange() {
        long seed = Rollout.seed("r");
        int[] hits = new int[100];
        for (int i = 0; i < SUBJECTS; i++) {
            hits[Rollout.bucket(seed, i)]++;
        }
        for (int h : hits) {
            assertThat(h).isBetween(800, 1200);
        }
    }
}
