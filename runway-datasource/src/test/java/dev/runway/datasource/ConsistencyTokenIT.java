package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import dev.runway.datasource.internal.ServerIdentity;
import dev.runway.datasource.internal.TokenCodec;
import dev.runway.lab.junit.LabExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token issued by one instance (region "ams", near replica) is honoured by another (region
 * "syd", the replica 40 ms away): the second instance's reads see the first one's writes. Bad and
 * foreign tokens are ignored without an error.
 */
class ConsistencyTokenIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 2);
    }

    private static RunwayDataSource ams() {
        return RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica1")).region("ams").build());
    }

    private static RunwayDataSource syd() {
        return RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica2")).region("syd").build());
    }

    @Test
    void tokenFromOneInstanceIsHonouredByAnother() throws Exception {
        int cycles = 500 * Its.scale();
        try (RunwayDataSource a = ams(); RunwayDataSource b = syd()) {
            long stale = 0;
            long staleWithout = 0;
            for (int i = 1; i <= cycles; i++) {
                String token;
                try (RunwayDataSource.Scope s = a.bind(new ConsistencySession())) { // request 1, on instance A
                    try (Connection c = a.getConnection()) {
                        Its.set(c, 0, i);
                    }
                    token = a.issueToken().orElseThrow();
                }
                if (i <= 50) { // control: the same read on B without the token
                    try (RunwayDataSource.Scope s = b.bind(new ConsistencySession())) {
                        if (b.read(c -> Its.get(c, 0)) != i) {
                            staleWithout++;
                        }
                    }
                }
                try (RunwayDataSource.Scope s = b.bind(new ConsistencySession())) { // request 2, on instance B
                    assertThat(b.acceptToken(token)).isEqualTo(TokenCheck.ACCEPTED);
                    if (b.read(c -> Its.get(c, 0)) != i) {
                        stale++;
                    }
                }
            }
            System.out.printf("ConsistencyTokenIT: %d cycles across instances: %d stale with the token; %d of 50 stale without%n",
                    cycles, stale, staleWithout);
            assertThat(stale).isZero();
            assertThat(staleWithout).isGreaterThan(25);
            assertThat(b.metrics().tokensAccepted()).isEqualTo(cycles);
            assertThat(b.metrics().readsReplica()).isEqualTo(cycles + 50);
        }
    }

    @Test
    void badAndForeignTokensAreIgnored() throws Exception {
        try (RunwayDataSource a = ams(); RunwayDataSource b = syd()) {
            String good;
            try (RunwayDataSource.Scope s = a.bind(new ConsistencySession())) {
                try (Connection c = a.getConnection()) {
                    Its.set(c, 1, 7);
                }
                good = a.issueToken().orElseThrow();
            }
            ServerIdentity id;
            try (Connection c = LAB.connect()) {
                id = ServerIdentity.of(c);
            }
            Lsn lsn = new Lsn(Long.parseUnsignedLong(good.split("\\.")[3], 16));
            TokenCodec same = new TokenCodec(Its.SECRET);
            TokenCodec other = new TokenCodec("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8));
            String tampered = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
            assertThat(check(b, tampered)).isEqualTo(TokenCheck.BAD_SIGNATURE);
            assertThat(check(b, other.encode(id, lsn))).isEqualTo(TokenCheck.BAD_SIGNATURE);
            assertThat(check(b, same.encode(new ServerIdentity(id.systemId() + 1, id.timeline()), lsn)))
                    .isEqualTo(TokenCheck.OTHER_SERVER);
            assertThat(check(b, same.encode(new ServerIdentity(id.systemId(), id.timeline() + 1), lsn)))
                    .as("a token from before a failover (older timeline)").isEqualTo(TokenCheck.OTHER_SERVER);
            assertThat(check(b, "v1.garbage")).isEqualTo(TokenCheck.MALFORMED);
            assertThat(check(b, "")).isEqualTo(TokenCheck.ABSENT);
            assertThat(check(b, good)).isEqualTo(TokenCheck.ACCEPTED);
            assertThat(b.metrics().tokensIgnored()).isEqualTo(5);
            try (RunwayDataSource none = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica2")).tokenSecret(null).build())) {
                assertThat(none.acceptToken(good)).isEqualTo(TokenCheck.UNVERIFIABLE);
                assertThat(none.issueToken()).isEmpty();
            }
        }
    }

    /** Accepts in a fresh session; an ignored token leaves it requiring nothing and the read works. */
    private static TokenCheck check(RunwayDataSource ds, String token) throws Exception {
        ConsistencySession session = new ConsistencySession();
        try (RunwayDataSource.Scope s = ds.bind(session)) {
            TokenCheck c = ds.acceptToken(token);
            if (c != TokenCheck.ACCEPTED) {
                assertThat(session.required()).isNull();
            }
            ds.read(conn -> Its.get(conn, 1));
            return c;
        }
    }
}
