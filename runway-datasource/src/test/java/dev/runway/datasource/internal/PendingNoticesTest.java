package dev.runway.datasource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PendingNoticesTest {
    private static final long GRACE = 20_000_000L;

    @Test
    void aPositionPairsWithItsOnCommitsOnTheSameChannel() {
        PendingNotices p = new PendingNotices(GRACE);
        p.onCommit("ch", "t1", "a", 0);
        p.onCommit("ch", "t1", "b", 1);
        p.onCommit("other", "t1", "c", 2);
        assertThat(p.position("ch", "t1")).isEqualTo(new PendingNotices.Keys("ch", List.of("a", "b")));
        assertThat(p.position("ch", "t1")).as("each position is used once").isNull();
        assertThat(p.position("ch", "t9")).as("a token sent before we listened").isNull();
        assertThat(p.size()).isEqualTo(1);
    }

    @Test
    void withoutAPositionTheyBecomeDueAfterTheGraceAndAreAskedAboutOnce() {
        PendingNotices p = new PendingNotices(GRACE);
        p.onCommit("ch", "t1", "a", 0);
        assertThat(p.nanosUntilDue(5_000_000L)).isEqualTo(15_000_000L);
        assertThat(p.dueForAsking(GRACE - 1)).isEmpty();
        p.onCommit("ch", "t2", "b", GRACE);
        List<String> due = p.dueForAsking(GRACE);
        assertThat(due).containsExactly("ch t1");
        assertThat(p.dueForAsking(GRACE + 1)).as("already being asked about").isEmpty();
        assertThat(p.nanosUntilDue(GRACE)).isEqualTo(GRACE);
        // the position arrived while the primary was asked: the answer finds nothing left
        assertThat(p.position("ch", "t1")).isNotNull();
        assertThat(p.answered(due)).isEmpty();
    }

    @Test
    void aFailedQuestionIsAskedAgain() {
        PendingNotices p = new PendingNotices(GRACE);
        p.onCommit("ch", "t1", "a", 0);
        List<String> due = p.dueForAsking(GRACE);
        p.askFailed(due);
        assertThat(p.nanosUntilDue(GRACE)).isZero();
        assertThat(p.answered(p.dueForAsking(GRACE))).containsExactly(new PendingNotices.Keys("ch", List.of("a")));
        assertThat(p.size()).isZero();
        assertThat(p.nanosUntilDue(GRACE)).isEqualTo(-1);
    }
}
