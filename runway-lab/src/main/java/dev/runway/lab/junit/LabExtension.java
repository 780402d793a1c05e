package dev.runway.lab.junit;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import dev.runway.lab.PgBouncer;
import dev.runway.lab.PoolMode;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives a test class a real lab and a fresh database on it:
 * <pre>
 * &#64;RegisterExtension static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
 * ... try (Connection c = LAB.connect()) { ... }
 * </pre>
 * Labs with the same spec are shared by all classes of the JVM (closed at the end of the run) unless
 * {@link #exclusive()} (a fresh lab per class, closed after it: for tests that kill or promote nodes).
 * Each class gets its own database, dropped after the class; WAL-stream delays a class changed on a
 * shared lab are reset to the spec after it.
 *
 * <p>Register it on a {@code static} field. The spec methods return new instances (immutable); the
 * lab and database are set in {@code beforeAll} and read by the tests (thread-safe reads).
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

    private final int replicas;
    private final Map<String, Duration> delays;
    private final String pgVersion;
    private final boolean exclusive;
    private final boolean tls;
    private final PoolMode pgbouncer;
    private volatile Lab lab;
    private volatile String database;

    private LabExtension(int replicas, Map<String, Duration> delays, String pgVersion, boolean exclusive, boolean tls,
                         PoolMode pgbouncer) {
        this.replicas = replicas;
        this.delays = Map.copyOf(delays);
        this.pgVersion = pgVersion;
        this.exclusive = exclusive;
        this.tls = tls;
        this.pgbouncer = pgbouncer;
    }

    /** A lab with a primary only. */
    public static LabExtension primary() {
        return new LabExtension(0, Map.of(), null, false, false, null);
    }

    /** A lab with {@code n} streaming replicas. */
    public static LabExtension withReplicas(int n) {
        return new LabExtension(n, Map.of(), null, false, false, null);
    }

    /** Adds a one-way WAL-stream delay primary -> {@code node}. */
    public LabExtension delay(String node, Duration oneWay) {
        Map<String, Duration> d = new LinkedHashMap<>(delays);
        d.put(node, oneWay);
        return new LabExtension(replicas, d, pgVersion, exclusive, tls, pgbouncer);
    }

    /** PostgreSQL major version (13..18); default: the system's. */
    public LabExtension pgVersion(String major) {
        return new LabExtension(replicas, delays, major, exclusive, tls, pgbouncer);
    }

    /** A lab of its own for this class, closed after it. */
    public LabExtension exclusive() {
        return new LabExtension(replicas, delays, pgVersion, true, tls, pgbouncer);
    }

    /** Every server with TLS from a throw-away CA; {@link #url()} then verifies it ({@code sslmode=verify-full}). */
    public LabExtension tls() {
        return new LabExtension(replicas, delays, pgVersion, exclusive, true, pgbouncer);
    }

    /** A PgBouncer with this pool mode in front of the primary: {@link #pgbouncer()}, {@link #pgbouncerUrl()}. */
    public LabExtension pgbouncer(PoolMode mode) {
        return new LabExtension(replicas, delays, pgVersion, exclusive, tls, mode);
    }

    /** The config this extension starts labs with. */
    public LabConfig config() {
        LabConfig.Builder b = LabConfig.builder().replicas(replicas).pgVersion(pgVersion).tls(tls).pgbouncer(pgbouncer);
        delays.forEach(b::delay);
        return b.build();
    }

    private String key() {
        return "lab:" + replicas + ":" + new java.util.TreeMap<>(delays) + ":" + pgVersion + ":" + tls + ":" + pgbouncer;
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        LabConfig cfg = config();
        ExtensionContext.Store root = ctx.getRoot().getStore(NS);
        if (exclusive) {
            lab = Lab.start(cfg);
        } else {
            lab = root.getOrComputeIfAbsent(key(), k -> new Shared(Lab.start(cfg)), Shared.class).lab;
        }
        AtomicInteger counter = root.getOrComputeIfAbsent("db-counter", k -> new AtomicInteger(), AtomicInteger.class);
        String cls = ctx.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        database = (cls.length() > 40 ? cls.substring(0, 40) : cls) + "_" + counter.incrementAndGet();
        lab.createDatabase(database);
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        Lab l = lab;
        if (l == null) {
            return;
        }
        try {
            if (exclusive) {
                l.close();
                return;
            }
            l.dropDatabase(database);
            for (Node r : l.replicas()) {
                Duration want = delays.getOrDefault(r.name(), Duration.ZERO);
                if (r.isRunning() && !r.upstreamDelay().equals(want)) {
                    r.setUpstreamDelay(want);
                }
            }
        } finally {
            lab = null;
        }
    }

    /** The lab of the current class. */
    public Lab lab() {
        Lab l = lab;
        if (l == null) {
            throw RunwayException.usage("LabExtension: no lab yet; register it on a static field with @RegisterExtension");
        }
        return l;
    }

    /** The database created for the current class. */
    public String database() {
        lab();
        return database;
    }

    /** URL of the class's database on the primary. */
    public DatabaseUrl url() {
        return lab().primary().url(database());
    }

    public DatabaseUrl url(Node node) {
        return node.url(database());
    }

    /** The lab's PgBouncer (see {@link #pgbouncer(PoolMode)}). */
    public PgBouncer pgbouncer() {
        return lab().pgbouncer();
    }

    /** URL of the class's database through the lab's PgBouncer. */
    public DatabaseUrl pgbouncerUrl() {
        return pgbouncer().url(database());
    }

    /** A new connection to the class's database on the primary; the caller closes it. */
    public Connection connect() {
        return lab().primary().connect(database());
    }

    public Connection connect(Node node) {
        return node.connect(database());
    }

    /** A shared lab, closed when the root context closes (end of the JVM's test run). */
    private static final class Shared implements ExtensionContext.Store.CloseableResource {
        final Lab lab;

        Shared(Lab lab) {
            this.lab = lab;
        }

        @Override
        public void close() {
            lab.close();
        }
    }
}
