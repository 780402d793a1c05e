package dev.runway.datasource.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.runway.core.RunwayException;
import dev.runway.datasource.InvalidationBus;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.WriteOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;

/**
 * A local (Caffeine) cache whose entries every instance drops when a write anywhere invalidates
 * them through the {@link InvalidationBus}: the write names {@code key(k)}, e.g.
 * <pre>
 * CoherentCache&lt;Long, Product&gt; products = CoherentCache.&lt;Long, Product&gt;builder(ds, "product").maximumSize(10_000).build();
 * Product p = products.get(id, k -&gt; ds.read(c -&gt; loadProduct(c, k)));
 * ds.write(c -&gt; updateProduct(c, p), WriteOption.invalidates(products.key(p.id())));   // "product:42", on every instance
 * </pre>
 * Thread-safe.
 *
 * <p>Guarantees, given loads that read through the same data source (the local replica):
 * <ul>
 *   <li>A key invalidated by a committed write is dropped once the local replica shows that write,
 *   and no load that started before the drop is stored after it (a load runs inside Caffeine's
 *   per-key computation, which the drop waits for), so the cache never keeps a value older than
 *   what its replica showed when the key was dropped.</li>
 *   <li>Nothing is cached until the bus is {@linkplain InvalidationBus.Subscription#ready() ready};
 *   after the bus reconnects (notices may have been missed), everything loaded before is dropped once
 *   the replica has replayed the primary's position at the reconnect.</li>
 *   <li>While the bus is disconnected, entries are still served (they may miss invalidations until
 *   the reconnect).</li>
 * </ul>
 * A key's identity across instances is {@code String.valueOf(key)}: use keys whose string form is
 * stable and unique (numbers, strings, UUIDs, records of those).
 *
 * @param <K> key type
 * @param <V> value type; {@code null} values are not cached
 */
public final class CoherentCache<K, V> implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final int STRIPES = 256;

    /** Loads a missing value, usually from the local replica ({@code ds.read(...)}). */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key) throws SQLException;
    }

    /** A cached value and the cache's epoch when its load started. */
    private record Entry<V>(V value, long epoch) {
    }

    private final String name;
    private final String prefix;
    private final InvalidationBus bus;
    private final Cache<String, Entry<V>> cache;
    private final InvalidationBus.Subscription subscription;
    /** Bumped by every invalidate-all; an entry loaded in an older epoch is not served. */
    private final AtomicLong epoch = new AtomicLong();
    /** Drops per key stripe, so a value loaded outside {@link #get} can tell whether its key was dropped since its miss. */
    private final AtomicLongArray drops = new AtomicLongArray(STRIPES);

    private CoherentCache(Builder<K, V> b) {
        this.name = b.name;
        this.prefix = b.name + ":";
        this.bus = b.bus;
        this.cache = withStats(b.caffeine).build();
        this.subscription = bus.subscribe(bus.channel(), this::invalidated, this::invalidateAll);
    }

    private static Caffeine<Object, Object> withStats(Caffeine<Object, Object> c) {
        try {
            return c.recordStats();
        } catch (IllegalStateException alreadyRecording) {
            return c;
        }
    }

    /** A builder for a cache named {@code name} on the data source's bus ({@link RunwayDataSource#invalidations()}). */
    public static <K, V> Builder<K, V> builder(RunwayDataSource ds, String name) {
        return builder(ds.invalidations(), name);
    }

    /** A builder for a cache named {@code name} (letters, digits, {@code _ . -}) on {@code bus}'s main channel. */
    public static <K, V> Builder<K, V> builder(InvalidationBus bus, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RunwayException.usage("cache name '" + name + "' must be 1-100 letters, digits, '_', '.' or '-' (no ':')");
        }
        return new Builder<>(bus, name);
    }

    /** The cache's name: the prefix of its invalidation keys. */
    public String name() {
        return name;
    }

    /** The key to invalidate on every instance for {@code key}: {@code name + ":" + String.valueOf(key)}. */
    public String key(K key) {
        return prefix + key;
    }

    /**
     * {@code WriteOption.invalidates(key(k)...)}: for a cache on the data source's bus (the facade
     * publishes on {@link InvalidationBus#DEFAULT_CHANNEL}).
     *
     * @throws RunwayException (USAGE) for a cache on a bus with another channel: use {@link #invalidateOnCommit}
     */
    @SafeVarargs
    public final WriteOption invalidates(K... keys) {
        if (!bus.channel().equals(InvalidationBus.DEFAULT_CHANNEL)) {
            throw RunwayException.usage("cache '" + name + "' listens on channel " + bus.channel() + ", but ds.write(..., invalidates(..))"
                    + " publishes on " + InvalidationBus.DEFAULT_CHANNEL + ": call cache.invalidateOnCommit(connection, key) in the work");
        }
        String[] ks = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            ks[i] = key(keys[i]);
        }
        return WriteOption.invalidates(ks);
    }

    /** Invalidates {@code key} on every instance when {@code c}'s transaction commits (plain JDBC). */
    public void invalidateOnCommit(Connection c, K key) throws SQLException {
        InvalidationBus.invalidateOnCommit(c, bus.channel(), key(key));
    }

    /** The bus key that empties this cache on every instance: its bare name (entries are {@code name:key}). */
    public String allKey() {
        return name;
    }

    /** Empties this cache on every instance when {@code c}'s transaction commits (e.g. after a bulk update). */
    public void invalidateAllOnCommit(Connection c) throws SQLException {
        InvalidationBus.invalidateOnCommit(c, bus.channel(), allKey());
    }

    /**
     * The cached value of {@code key}, or what {@code loader} returns (cached when not null). Loads of
     * one key are not run concurrently; the loader must not use this cache.
     */
    public V get(K key, Loader<? super K, ? extends V> loader) throws SQLException {
        String k = String.valueOf(key);
        if (!subscription.ready()) {
            return loader.load(key); // the bus could still miss an invalidation of what we would cache
        }
        Entry<V> e = cache.getIfPresent(k);
        if (e != null && e.epoch == epoch.get()) {
            return e.value;
        }
        Object[] loaded = new Object[1];
        try {
            e = cache.asMap().compute(k, (kk, old) -> {
                long start = epoch.get();
                if (old != null && old.epoch == start) {
                    return old; // another thread loaded it meanwhile
                }
                V v;
                try {
                    v = loader.load(key);
                } catch (SQLException ex) {
                    throw new LoadFailed(ex);
                }
                loaded[0] = v;
                return v == null ? null : new Entry<>(v, start);
            });
        } catch (LoadFailed f) {
            throw f.cause;
        }
        @SuppressWarnings("unchecked")
        V v = e != null ? e.value : (V) loaded[0];
        return v;
    }

    /**
     * What a miss saw, for a caller that loads the value itself (outside {@link #get}), as Spring's
     * cache abstraction does: pass it to {@link #putAfterMiss}. Null while the cache is not ready.
     */
    public Miss miss(K key) {
        if (!subscription.ready()) {
            return null;
        }
        return new Miss(epoch.get(), drops.get(stripe(String.valueOf(key))));
    }

    /** The cache's state at a miss: its epoch and the drop count of the key's stripe. */
    public record Miss(long epoch, long drops) {
    }

    /**
     * Caches {@code value}, loaded after {@code miss} was taken, unless the key (or everything) was
     * dropped since then: the value may then predate the write that dropped it. Returns whether it was
     * stored. Atomic with respect to drops of the key.
     */
    public boolean putAfterMiss(K key, V value, Miss miss) {
        if (value == null || miss == null) {
            return false;
        }
        String k = String.valueOf(key);
        boolean[] stored = new boolean[1];
        cache.asMap().compute(k, (kk, old) -> {
            if (epoch.get() != miss.epoch() || drops.get(stripe(kk)) != miss.drops()) {
                return old;
            }
            stored[0] = true;
            return new Entry<>(value, miss.epoch());
        });
        return stored[0];
    }

    private static int stripe(String k) {
        return k.hashCode() & (STRIPES - 1);
    }

    /** The cached value, or null (also for an entry an invalidate-all made invisible). */
    public V getIfPresent(K key) {
        Entry<V> e = cache.getIfPresent(String.valueOf(key));
        return e != null && e.epoch == epoch.get() ? e.value : null;
    }

    /** Caches {@code value} on this instance only (other instances load their own). */
    public void put(K key, V value) {
        if (value != null && subscription.ready()) {
            cache.put(String.valueOf(key), new Entry<>(value, epoch.get()));
        }
    }

    /** Drops {@code key} on this instance only; to drop it everywhere, invalidate {@link #key} with the write. */
    public void invalidate(K key) {
        drop(String.valueOf(key));
    }

    /** Drops every entry on this instance only. */
    public void invalidateAll() {
        epoch.incrementAndGet(); // first: a load in flight now stores an entry of the old epoch, which nobody serves
        cache.invalidateAll();
    }

    /** Entries held (including ones an invalidate-all made invisible until Caffeine removes them). */
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Caffeine's hit, miss and load counters. */
    public CacheStats stats() {
        return cache.stats();
    }

    /** True once the bus can no longer miss an invalidation of this cache (until then nothing is cached). */
    public boolean ready() {
        return subscription.ready();
    }

    /** Stops following the bus (the bus itself stays up) and drops everything. */
    @Override
    public void close() {
        subscription.close();
        invalidateAll();
    }

    private void invalidated(String busKey) {
        if (busKey.startsWith(prefix)) {
            drop(busKey.substring(prefix.length()));
        } else if (busKey.equals(name)) {
            invalidateAll();
        }
    }

    /** Removes through Caffeine's per-key computation, so a load of the key in flight finishes first and is dropped too. */
    private void drop(String k) {
        cache.asMap().compute(k, (kk, old) -> {
            drops.incrementAndGet(stripe(kk));
            return null;
        });
    }

    /** Carries a loader's SQLException through Caffeine's computation. */
    private static final class LoadFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SQLException cause;

        LoadFailed(SQLException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /**
     * Builds a {@link CoherentCache}; not thread-safe. Any Caffeine setting works except weak or soft
     * keys (keys are strings) and removal listeners that expect the original key objects.
     */
    public static final class Builder<K, V> {
        private final InvalidationBus bus;
        private final String name;
        private Caffeine<Object, Object> caffeine = Caffeine.newBuilder();

        private Builder(InvalidationBus bus, String name) {
            this.bus = bus;
            this.name = name;
        }

        public Builder<K, V> maximumSize(long n) {
            caffeine.maximumSize(n);
            return this;
        }

        public Builder<K, V> expireAfterWrite(Duration d) {
            caffeine.expireAfterWrite(d);
            return this;
        }

        /** Replaces the Caffeine builder (e.g. {@code Caffeine.from(spec)}); statistics are always recorded. */
        public Builder<K, V> caffeine(Caffeine<Object, Object> c) {
            caffeine = c;
            return this;
        }

        public CoherentCache<K, V> build() {
            return new CoherentCache<>(this);
        }
    }
}
