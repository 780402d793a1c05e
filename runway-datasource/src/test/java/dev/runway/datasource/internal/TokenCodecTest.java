package dev.runway.datasource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Token format, signature and strict parsing. */
class TokenCodecTest {
    private final TokenCodec codec = new TokenCodec("k".repeat(32).getBytes(StandardCharsets.UTF_8));
    private final ServerIdentity id = new ServerIdentity(-7300000000000000000L, 3);

    @Test
    void roundTripsIncludingUnsignedValues() {
        Lsn lsn = Lsn.parse("FFFFFFFF/FFFFFFF0");
        String t = codec.encode(id, lsn);
        assertThat(t).startsWith("v1.").matches("v1\\.\\d+\\.3\\.[0-9a-f]+\\.[A-Za-z0-9_-]{22}");
        TokenCodec.Decoded d = codec.decode(t);
        assertThat(d.refusal()).isNull();
        assertThat(d.token().identity()).isEqualTo(id);
        assertThat(d.token().lsn()).isEqualTo(lsn);
    }

    @Test
    void anyChangeBreaksTheSignature() {
        String t = codec.encode(id, Lsn.parse("1/2"));
        String[] p = t.split("\\.");
        String otherLsn = p[0] + "." + p[1] + "." + p[2] + ".3." + p[4];
        String otherTli = p[0] + "." + p[1] + ".4." + p[3] + "." + p[4];
        assertThat(codec.decode(otherLsn).refusal()).isEqualTo(TokenCodec.Refusal.BAD_SIGNATURE);
        assertThat(codec.decode(otherTli).refusal()).isEqualTo(TokenCodec.Refusal.BAD_SIGNATURE);
        assertThat(new TokenCodec("z".repeat(32).getBytes(StandardCharsets.UTF_8)).decode(t).refusal())
                .isEqualTo(TokenCodec.Refusal.BAD_SIGNATURE);
    }

    @Test
    void malformedInputIsRefusedNotThrown() {
        for (String bad : new String[] {"", "v1", "v2.1.1.1.AAAA", "v1.1.1..AAAA", "v1.1.1.1.!!!", "v1.1.1.12345678901234567.AA"}) {
            assertThat(codec.decode(bad).refusal()).as(bad).isEqualTo(TokenCodec.Refusal.MALFORMED);
        }
    }
}
