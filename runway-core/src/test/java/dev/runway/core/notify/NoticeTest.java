package dev.runway.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import org.junit.jupiter.api.Test;

class NoticeTest {
    @Test
    void everyKindRoundTrips() {
        Lsn lsn = Lsn.parse("16/B374D848");
        for (Notice n : new Notice[] {new Notice.OnCommit("00ff00ff00ff00ff", "product:42"),
                new Notice.Position("00ff00ff00ff00ff", lsn), new Notice.Published(lsn, "user:7 with spaces"),
                new Notice.OnCommit("00ff00ff00ff00ff", "")}) {
            assertThat(Notice.parse(n.payload())).isEqualTo(n);
        }
        assertThat(new Notice.OnCommit("0123456789abcdef", "a b").payload()).isEqualTo("c 0123456789abcdef a b");
        assertThat(new Notice.Position("0123456789abcdef", lsn).payload()).isEqualTo("p 0123456789abcdef 16/B374D848");
    }

    @Test
    void anythingElseIsNotANotice() {
        for (String p : new String[] {null, "", "c", "c x", "x 1/2 key", "k notlsn key", "p tok notlsn", "p tok", "16/B374D848 key",
                "cc 1 2", "k 1/2"}) {
            assertThat(Notice.parse(p)).as(String.valueOf(p)).isNull();
        }
    }

    @Test
    void tokensAreSixteenHexDigits() {
        for (int i = 0; i < 1000; i++) {
            assertThat(NotifySql.token()).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void keysMustFitTheNotifyPayload() {
        String longest = "x".repeat(NotifySql.MAX_KEY_BYTES);
        NotifySql.checkKey(longest);
        assertThat(new Notice.OnCommit(NotifySql.token(), longest).payload().length()).isEqualTo(NotifySql.MAX_PAYLOAD_BYTES);
        assertThatThrownBy(() -> NotifySql.checkKey(longest + "x")).isInstanceOf(RunwayException.class)
                .hasMessageContaining("is 7981 bytes; keys are limited to 7980 bytes").hasMessageNotContaining("\n");
        // multi-byte characters count in UTF-8 bytes
        assertThatThrownBy(() -> NotifySql.checkKey("é".repeat(4000))).hasMessageContaining("is 8000 bytes");
        assertThatThrownBy(() -> NotifySql.checkKey("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void channelsAreLowerCaseIdentifiers() {
        assertThat(NotifySql.channel("runway_flags")).isEqualTo("runway_flags");
        for (String bad : new String[] {"Runway", "1abc", "a-b", "a b", "x".repeat(64), ""}) {
            assertThatThrownBy(() -> NotifySql.channel(bad)).isInstanceOf(RunwayException.class).hasMessageContaining("lower-case");
        }
        assertThat(NotifySql.positionSql("runway_cache", "0123456789abcdef"))
                .isEqualTo("SELECT pg_notify('runway_cache', 'p 0123456789abcdef ' || pg_current_wal_flush_lsn()::text)");
    }
}
