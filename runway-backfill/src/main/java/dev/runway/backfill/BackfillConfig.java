package dev.runway.backfill;

import dev.runway.core.DatabaseUrl;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link Backfiller} runs what the directives do not say: which replicas to ask for their replay
 * position, and where {@link JavaBackfill} classes are loaded from. Built by {@link #builder()};
 * immutable.
 *
 * @param replicas    replicas asked directly for {@code pg_last_wal_replay_lsn()} when {@code max-lag} is set:
 *                    needed when the role cannot read {@code pg_stat_replication} (no {@code pg_monitor}), and
 *                    the way cascaded replicas are seen; empty by default
 * @param classLoader loads the {@code class=} of Java backfills; default: the thread's context class
 *                    loader, else the one that loaded Runway
 */
public record BackfillConfig(List<DatabaseUrl> replicas, ClassLoader classLoader) {
    public BackfillConfig {
        replicas = List.copyOf(replicas);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: no replica URLs, the context class loader. */
    public static BackfillConfig defaults() {
        return builder().build();
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private final List<DatabaseUrl> replicas = new ArrayList<>();
        private ClassLoader classLoader;

        private Builder() {
        }

        /** Adds a replica to ask for its replay position (e.g. {@code lab.node("replica2").url(db)}). */
        public Builder replica(DatabaseUrl url) {
            replicas.add(url);
            return this;
        }

        public Builder replicas(List<DatabaseUrl> urls) {
            replicas.addAll(urls);
            return this;
        }

        /** Where {@code class=} names are looked up (e.g. a {@code URLClassLoader} over the application's jars). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        public BackfillConfig build() {
            ClassLoader l = classLoader;
            if (l == null) {
                l = Thread.currentThread().getContextClassLoader();
            }
            return new BackfillConfig(replicas, l != null ? l : BackfillConfig.class.getClassLoader());
        }
    }
}
