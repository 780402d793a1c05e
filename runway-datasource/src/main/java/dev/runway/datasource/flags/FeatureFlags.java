package dev.runway.datasource.flags;

import dev.runway.core.Durations;
import dev.runway.core.RunwayException;
import dev.runway.core.flags.Flag;
import dev.runway.core.flags.FlagTable;
import dev.runway.core.flags.Rollout;
import dev.runway.datasource.InvalidationBus;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature flags, evaluated from an in-memory snapshot of the flags table (changed with
 * {@code runway flags set}). The snapshot is loaded from the local replica at start, reloaded when
 * the invalidation bus reports a change (once the local replica shows it, so the reload sees it),
 * after every bus reconnect, and every {@code refreshInterval} as a safety net. Thread-safe; one per
 * application; {@link #close()} it at shutdown.
 *
 * <pre>
 * FeatureFlags flags = FeatureFlags.start(ds);          // RUNWAY_SCHEMA, RUNWAY_FLAGS_TABLE, RUNWAY_FLAGS_REFRESH, FLY_REGION
 * if (flags.enabled("new_checkout", user.id())) { ... } // stable per user on every instance
 * </pre>
 *
 * <p>A flag is on for a subject when it is enabled, this instance's region ({@code FLY_REGION}) is
 * one of its regions (or it has none), and the subject's stable bucket ({@link Rollout}) is below its
 * percentage. {@link #enabled(String)} without a subject is true only at 100 %. Unknown flags are off
 * (and logged once). The checks read a volatile field and a hash map and hash the subject: no locks,
 * no allocation.
 */
public final class FeatureFlags implements AutoCloseable {
    /** Environment variable: how often the whole table is reloaded anyway (duration, default 30s). */
    public static final String REFRESH_ENV = "RUNWAY_FLAGS_REFRESH";
    /** Environment variable: the flags table's name, as for the CLI (default runway_flags). */
    public static final String TABLE_ENV = "RUNWAY_FLAGS_TABLE";
    /** Environment variable: the flags table's schema, as for the CLI (default public). */
    public static final String SCHEMA_ENV = "RUNWAY_SCHEMA";
    private static final Logger LOG = LoggerFactory.getLogger(FeatureFlags.class);
    private static final int MAX_WARNED = 1000;

    private final RunwayDataSource ds;
    private final FlagTable table;
    private final String region;
    private final ScheduledExecutorService worker;
    private final InvalidationBus.Subscription subscription;
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private final AtomicLong readyRequests = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile long readyUpTo;
    private volatile boolean failing;

    private FeatureFlags(Builder b) {
        this.ds = b.ds;
        this.table = new FlagTable(b.schema, b.table);
        this.region = b.region;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runway-flags-" + b.table);
            t.setDaemon(true);
            return t;
        });
        try {
            reload(); // before the first check; a database that is down leaves every flag off until the next reload
        } catch (SQLException e) {
            failed(e);
        }
        this.subscription = ds.invalidations().subscribe(table.channel(), name -> requestReload(), () -> {
            readyRequests.incrementAndGet();
            requestReload();
        });
        long every = b.refresh.toNanos();
        worker.scheduleWithFixedDelay(this::requestReload, every, every, TimeUnit.NANOSECONDS);
    }

    /** A fixed set of flags evaluated for {@code region}, with no database: for tests and benchmarks of code that checks flags. */
    private FeatureFlags(List<Flag> flags, String region) {
        this.ds = null;
        this.table = new FlagTable("public", FlagTable.DEFAULT_TABLE);
        this.region = region;
        this.worker = null;
        this.subscription = null;
        this.snapshot = new Snapshot(flags, region);
        this.readyUpTo = 1;
    }

    /**
     * Flags that never change, evaluated exactly as the live ones (same buckets), with no database:
     * for the application's own tests.
     *
     * @param region the region to evaluate for ({@code FLY_REGION}), or null
     */
    public static FeatureFlags fixed(List<Flag> flags, String region) {
        return new FeatureFlags(flags, region);
    }

    /** Flags of {@code ds}'s database, configured from the environment (see the constants). */
    public static FeatureFlags start(RunwayDataSource ds) {
        return builder(ds).fromEnvironment(System::getenv).start();
    }

    public static Builder builder(RunwayDataSource ds) {
        return new Builder(ds);
    }

    /** True when {@code name} is on for everyone here (enabled, this region targeted, 100 %). */
    public boolean enabled(String name) {
        Snapshot.Rule r = rule(name);
        return r != null && r.activeHere && r.percent >= 100;
    }

    /** True when {@code name} is on for {@code subject} here: the same answer on every instance and across restarts. */
    public boolean enabled(String name, CharSequence subject) {
        Snapshot.Rule r = rule(name);
        if (r == null || !r.activeHere) {
            return false;
        }
        return r.percent >= 100 || (r.percent > 0 && Rollout.bucket(r.seed, subject) < r.percent);
    }

    /** {@link #enabled(String, CharSequence)} for a numeric subject: {@code 42L} is the subject {@code "42"}. */
    public boolean enabled(String name, long subject) {
        Snapshot.Rule r = rule(name);
        if (r == null || !r.activeHere) {
            return false;
        }
        return r.percent >= 100 || (r.percent > 0 && Rollout.bucket(r.seed, subject) < r.percent);
    }

    private Snapshot.Rule rule(String name) {
        Snapshot.Rule r = snapshot.rule(name);
        if (r == null && warned.size() < MAX_WARNED && warned.add(name)) {
            LOG.warn("feature flag '{}' does not exist in {}: it is off (runway flags list shows the flags)", name, table.displayName());
        }
        return r;
    }

    /** The flags as loaded last, by name. */
    public List<Flag> flags() {
        return snapshot.flags;
    }

    /** One flag as loaded last. */
    public Optional<Flag> flag(String name) {
        return snapshot.flags.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** This instance's region as used for region targeting (null: none, so region-limited flags are off). */
    public String region() {
        return region;
    }

    /**
     * True once the snapshot was loaded after the bus started listening for changes and the local
     * replica caught up with the primary of that moment: from then on no change is missed.
     */
    public boolean ready() {
        return readyUpTo > 0;
    }

    /** Snapshot loads so far. */
    public long loads() {
        return loads.get();
    }

    /** Reloads the snapshot now from the local replica (the data source's read path). */
    public void refresh() throws SQLException {
        if (ds != null) {
            reload();
        }
    }

    private void requestReload() {
        if (reloadQueued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    reloadQueued.set(false); // a change announced from now on queues another load
                    try {
                        reload();
                    } catch (SQLException | RuntimeException e) {
                        failed(e);
                    }
                });
            } catch (RejectedExecutionException closed) {
                reloadQueued.set(false);
            }
        }
    }

    private synchronized void reload() throws SQLException {
        long ready = readyRequests.get();
        List<Flag> fs = ds.read(table::list);
        snapshot = new Snapshot(fs, region);
        loads.incrementAndGet();
        if (ready > readyUpTo) {
            readyUpTo = ready;
        }
        if (failing) {
            failing = false;
            LOG.info("feature flags loaded again from {} ({} flags)", table.displayName(), fs.size());
        }
    }

    private void failed(Exception e) {
        if (!failing) {
            failing = true;
            LOG.warn("cannot load the feature flags from {} ({}); keeping the last ones and retrying", table.displayName(), e.toString());
        }
    }

    /** Stops reloading (the data source and its bus stay up). */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    /** Configures {@link FeatureFlags}; not thread-safe. */
    public static final class Builder {
        private final RunwayDataSource ds;
        private String schema = "public";
        private String table = FlagTable.DEFAULT_TABLE;
        private String region;
        private Duration refresh = Duration.ofSeconds(30);

        private Builder(RunwayDataSource ds) {
            this.ds = ds;
            this.region = ds.config().region();
        }

        /** {@value #SCHEMA_ENV}, {@value #TABLE_ENV}, {@value #REFRESH_ENV} where set. */
        public Builder fromEnvironment(Function<String, String> env) {
            String v = env.apply(SCHEMA_ENV);
            if (v != null && !v.isEmpty()) {
                schema = v;
            }
            v = env.apply(TABLE_ENV);
            if (v != null && !v.isEmpty()) {
                table = v;
            }
            v = env.apply(REFRESH_ENV);
            if (v != null && !v.isEmpty()) {
                refresh = Durations.parse(v, REFRESH_ENV);
            }
            return this;
        }

        public Builder schema(String s) {
            schema = s;
            return this;
        }

        public Builder table(String t) {
            table = t;
            return this;
        }

        /** The region used for targeting; default {@link RegionConfig#region()} ({@code FLY_REGION}). */
        public Builder region(String r) {
            region = r;
            return this;
        }

        /** How often the whole table is reloaded anyway (the safety net for a missed notice). */
        public Builder refreshInterval(Duration d) {
            refresh = d;
            return this;
        }

        /**
         * Loads the flags and starts following changes.
         *
         * @throws RunwayException (USAGE) for a bad table name or a refresh interval that is not positive
         */
        public FeatureFlags start() {
            if (refresh.isZero() || refresh.isNegative()) {
                throw RunwayException.usage(REFRESH_ENV + ": the refresh interval must be positive (e.g. 30s)");
            }
            return new FeatureFlags(this);
        }
    }
}
