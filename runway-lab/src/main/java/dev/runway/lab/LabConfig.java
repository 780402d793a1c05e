package dev.runway.lab;

import dev.runway.core.RunwayException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What lab to start: number of replicas, WAL-stream latency per replica, PostgreSQL major version,
 * and where it lives. Built by {@link #builder()}, which validates in {@link Builder#build()} and
 * throws {@link RunwayException} (USAGE) naming the key. Immutable; thread-safe.
 *
 * @param replicas  0..8 streaming replicas, named {@code replica1..replicaN}
 * @param delays    one-way latency primary -> replica (only replicas with a delay get a proxy)
 * @param pgVersion major version (13..18), or null for the system default
 * @param dir       persistent lab dir, or null for a temp dir deleted on close
 * @param cacheDir  where binaries and initdb templates are cached (default {@code ~/.cache/runway})
 * @param env       environment the lab reads ({@code RUNWAY_PG_BIN}, {@code RUNWAY_LAB_TMPDIR},
 *                  {@code RUNWAY_LAB_RUN_AS}, {@code RUNWAY_PGBOUNCER}); the process environment by default,
 *                  injectable for tests
 * @param tls       run every server (and the PgBouncer) with TLS, certificates from a throw-away CA ({@link LabTls})
 * @param pgbouncer put a PgBouncer with this pool mode in front of the primary ({@link Lab#pgbouncer()}); null: none
 */
public record LabConfig(int replicas, Map<String, Duration> delays, String pgVersion, Path dir, Path cacheDir,
                        Map<String, String> env, boolean tls, PoolMode pgbouncer) {
    public static final int MAX_REPLICAS = 8;

    public LabConfig {
        delays = Collections.unmodifiableMap(new LinkedHashMap<>(delays));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this config. */
    public Builder toBuilder() {
        Builder b = new Builder().replicas(replicas).pgVersion(pgVersion).dir(dir).cacheDir(cacheDir).env(env).tls(tls)
                .pgbouncer(pgbouncer);
        delays.forEach(b::delay);
        return b;
    }

    /** The delay of a node, zero when none was configured. */
    public Duration delayOf(String node) {
        return delays.getOrDefault(node, Duration.ZERO);
    }

    /** The default cache dir: {@code $XDG_CACHE_HOME/runway} or {@code ~/.cache/runway}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("runway");
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private int replicas;
        private final Map<String, Duration> delays = new LinkedHashMap<>();
        private String pgVersion;
        private Path dir;
        private Path cacheDir;
        private Map<String, String> env;
        private boolean tls;
        private PoolMode pgbouncer;

        private Builder() {
        }

        /** Every server with TLS (a throw-away CA; see {@link LabTls}). */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /** A PgBouncer in front of the primary with this pool mode; null for none. */
        public Builder pgbouncer(PoolMode mode) {
            this.pgbouncer = mode;
            return this;
        }

        public Builder replicas(int n) {
            this.replicas = n;
            return this;
        }

        /** One-way WAL-stream latency primary -> {@code node} ({@code replicaN}). */
        public Builder delay(String node, Duration oneWay) {
            delays.put(node, oneWay);
            return this;
        }

        public Builder pgVersion(String major) {
            this.pgVersion = major;
            return this;
        }

        public Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = env == null ? null : new LinkedHashMap<>(env);
            return this;
        }

        /** @throws RunwayException (USAGE) naming the key that is wrong */
        public LabConfig build() {
            if (replicas < 0 || replicas > MAX_REPLICAS) {
                throw RunwayException.usage("replicas: " + replicas + " is out of range (0.." + MAX_REPLICAS + ")");
            }
            for (Map.Entry<String, Duration> e : delays.entrySet()) {
                String name = e.getKey();
                if (!isReplicaName(name, replicas)) {
                    throw RunwayException.usage("delay: unknown node '" + name + "' (this lab has "
                            + (replicas == 0 ? "no replicas" : "replica1..replica" + replicas) + ")");
                }
                Duration d = e.getValue();
                if (d == null || d.isNegative() || d.compareTo(Duration.ofMinutes(1)) > 0) {
                    throw RunwayException.usage("delay: " + name + " = " + d + " is out of range (0..60s)");
                }
            }
            if (pgVersion != null && !PgBinaries.MAJORS.contains(pgVersion)) {
                throw RunwayException.usage("pgVersion: '" + pgVersion + "' is not supported (use one of "
                        + String.join(", ", PgBinaries.MAJORS) + ", or leave it unset for the system default)");
            }
            Path abs = dir == null ? null : dir.toAbsolutePath().normalize();
            Path cache = cacheDir == null ? defaultCacheDir() : cacheDir.toAbsolutePath().normalize();
            return new LabConfig(replicas, delays, pgVersion, abs, cache, env == null ? System.getenv() : env, tls, pgbouncer);
        }

        private static boolean isReplicaName(String name, int replicas) {
            if (name == null || !name.startsWith("replica")) {
                return false;
            }
            try {
                int i = Integer.parseInt(name.substring("replica".length()));
                return i >= 1 && i <= replicas && name.equals("replica" + i);
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
