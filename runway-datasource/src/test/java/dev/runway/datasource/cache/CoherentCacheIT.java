package dev.runway.datasource.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.datasource.InvalidationBus;
import dev.runway.datasource.Its;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.lab.junit.LabExtension;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cache's own guarantees on a real bus: a write on one instance drops the entry on the others
 * once their replicas show it; a drop (or an invalidate-all) that arrives while a load of the key is
 * in flight is not undone by that load; nothing is cached before the bus is ready.
 */
class CoherentCacheIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 4);
    }

    private static RunwayDataSource instance(String replica) {
        return RunwayDataSource.create(Its.config(LAB, replica == null ? null : LAB.lab().node(replica))
                .region(replica == null ? "ord" : "syd").build());
    }

    private static <K, V> CoherentCache<K, V> ready(CoherentCache<K, V> c) throws InterruptedException {
        for (int i = 0; i < 400 && !c.ready(); i++) {
            Thread.sleep(25);
        }
        assertThat(c.ready()).isTrue();
        return c;
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long load(RunwayDataSource ds, int id) throws SQLException {
        return ds.read(c -> Its.get(c, id));
    }

    @Test
    void aWriteOnOneInstanceDropsTheEntryOnTheOthers() throws Exception {
        try (RunwayDataSource a = instance(null); RunwayDataSource near = instance("replica1"); RunwayDataSource far = instance("replica2")) {
            CoherentCache<Integer, Long> ca = ready(CoherentCache.<Integer, Long>builder(a, "kv").maximumSize(100).build());
            CoherentCache<Integer, Long> cn = ready(CoherentCache.<Integer, Long>builder(near, "kv").maximumSize(100).build());
            CoherentCache<Integer, Long> cf = ready(CoherentCache.<Integer, Long>builder(far, "kv").build());
            for (int i = 1; i <= 20; i++) {
                long v = 1000 + i;
                ca.get(0, k -> load(a, k));
                cn.get(0, k -> load(near, k));
                cf.get(0, k -> load(far, k));
                a.write(c -> {
                    Its.set(c, 0, v);
                    return null;
                }, ca.invalidates(0));
                for (CoherentCache<Integer, Long> cache : java.util.List.of(ca, cn, cf)) {
                    RunwayDataSource ds = cache == ca ? a : cache == cn ? near : far;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    long seen;
                    while ((seen = cache.get(0, k -> load(ds, k))) != v && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertThat(seen).as("write %d seen by %s", i, ds.config().replicaUrl()).isEqualTo(v);
                }
            }
            assertThat(cf.stats().hitCount()).isPositive();
            // empty the cache everywhere, e.g. after a bulk update
            long before = cf.get(0, k -> load(far, k));
            a.write(c -> {
                Its.set(c, 0, before + 1);
                ca.invalidateAllOnCommit(c);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (cf.getIfPresent(0) != null && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(cf.getIfPresent(0)).as("emptied on the far instance").isNull();
            assertThat(cf.get(0, k -> load(far, k))).isEqualTo(before + 1);
        }
    }

    /** A load of {@code key} that has started and returns "old" once {@link #finish()} is called. */
    private static final class LoadInFlight {
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<String> result;

        LoadInFlight(CoherentCache<Integer, String> cache, int key) throws InterruptedException {
            CountDownLatch loading = new CountDownLatch(1);
            result = CompletableFuture.supplyAsync(() -> {
                try {
                    return cache.get(key, k -> {
                        loading.countDown();
                        await(release);
                        return "old";
                    });
                } catch (SQLException | RuntimeException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
        }

        String finish() throws Exception {
            release.countDown();
            return result.get(5, TimeUnit.SECONDS);
        }
    }

    private static CoherentCache<Integer, String> cache(RunwayDataSource ds, String name, boolean bounded) throws InterruptedException {
        CoherentCache.Builder<Integer, String> b = CoherentCache.builder(ds, name + bounded);
        return ready(bounded ? b.maximumSize(1000).build() : b.build());
    }

    /** Bounded and unbounded caches remove and clear differently in Caffeine; both must behave. */
    @Test
    void aDropWaitsForALoadInFlightAndWins() throws Exception {
        try (RunwayDataSource ds = instance("replica1")) {
            for (boolean bounded : new boolean[] {true, false}) {
                CoherentCache<Integer, String> cache = cache(ds, "race", bounded);
                LoadInFlight load = new LoadInFlight(cache, 7);
                CompletableFuture<Void> drop = CompletableFuture.runAsync(() -> cache.invalidate(7));
                Thread.sleep(200);
                assertThat(drop).as("the drop waits for the load").isNotDone();
                assertThat(load.finish()).isEqualTo("old");
                drop.get(5, TimeUnit.SECONDS);
                assertThat(cache.getIfPresent(7)).as("the load's value did not survive the drop (bounded %s)", bounded).isNull();
            }
        }
    }

    @Test
    void anInvalidateAllHidesLoadsInFlight() throws Exception {
        try (RunwayDataSource ds = instance("replica1")) {
            for (boolean bounded : new boolean[] {true, false}) {
                CoherentCache<Integer, String> cache = cache(ds, "all", bounded);
                cache.put(1, "one");
                LoadInFlight load = new LoadInFlight(cache, 2);
                CompletableFuture<Void> all = CompletableFuture.runAsync(cache::invalidateAll); // an unbounded cache's clear waits for the load
                Thread.sleep(100);
                assertThat(load.finish()).isEqualTo("old");
                all.get(5, TimeUnit.SECONDS);
                assertThat(cache.getIfPresent(1)).isNull();
                assertThat(cache.getIfPresent(2)).as("loaded before the invalidate-all (bounded %s): never served", bounded).isNull();
                assertThat(cache.get(2, k -> "new")).isEqualTo("new");
                assertThat(cache.get(2, k -> "newer")).isEqualTo("new");
            }
        }
    }

    /** Values loaded outside get() (Spring's cache abstraction does that): stored only if nothing dropped the key since the miss. */
    @Test
    void aValueLoadedAfterAMissIsStoredOnlyIfItsKeyWasNotDroppedSince() throws Exception {
        try (RunwayDataSource ds = instance("replica1")) {
            CoherentCache<Integer, String> cache = cache(ds, "miss", true);
            CoherentCache.Miss m = cache.miss(1);
            assertThat(cache.putAfterMiss(1, "loaded", m)).isTrue();
            assertThat(cache.getIfPresent(1)).isEqualTo("loaded");
            m = cache.miss(2);
            cache.invalidate(2); // the write's invalidation arrived while the value was being loaded
            assertThat(cache.putAfterMiss(2, "maybe old", m)).isFalse();
            assertThat(cache.getIfPresent(2)).isNull();
            m = cache.miss(3);
            cache.invalidateAll();
            assertThat(cache.putAfterMiss(3, "maybe old", m)).isFalse();
            assertThat(cache.putAfterMiss(3, "x", cache.miss(3))).isTrue();
        }
    }

    @Test
    void nothingIsCachedWhileTheBusIsNotReady() throws Exception {
        RegionConfig noPrimary = RegionConfig.builder().region("syd").primaryRegion("ord").primaryUrl("postgres://u@127.0.0.1:1/db")
                .replicaUrl(LAB.url(LAB.lab().node("replica1"))).primaryConnectTimeout(Duration.ofSeconds(1)).build();
        try (RunwayDataSource ds = RunwayDataSource.create(noPrimary)) {
            CoherentCache<Integer, Long> cache = CoherentCache.<Integer, Long>builder(ds, "kv").build();
            AtomicInteger loads = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                assertThat(cache.get(0, k -> {
                    loads.incrementAndGet();
                    return load(ds, k);
                })).isNotNull();
            }
            assertThat(cache.ready()).isFalse();
            assertThat(loads).hasValue(5);
            assertThat(cache.estimatedSize()).isZero();
            assertThat(cache.miss(0)).isNull();
            assertThat(cache.putAfterMiss(0, 1L, null)).isFalse();
        }
    }

    @Test
    void loaderFailuresAndBadNamesAreReported() throws Exception {
        try (RunwayDataSource ds = instance("replica1")) {
            CoherentCache<Integer, Long> cache = ready(CoherentCache.<Integer, Long>builder(ds, "kv").build());
            assertThatThrownBy(() -> cache.get(1, k -> {
                throw new SQLException("boom", "XX000");
            })).isInstanceOf(SQLException.class).hasMessage("boom");
            assertThat(cache.get(1, k -> null)).isNull();
            assertThat(cache.estimatedSize()).isZero();
            assertThatThrownBy(() -> CoherentCache.builder(ds, "a:b")).hasMessageContaining("no ':'");
            assertThat(cache.key(42)).isEqualTo("kv:42");
            assertThat(ds.invalidations().channel()).isEqualTo(InvalidationBus.DEFAULT_CHANNEL);
            try (InvalidationBus other = InvalidationBus.start(ds, "other_channel")) {
                CoherentCache<Integer, Long> elsewhere = CoherentCache.<Integer, Long>builder(other, "kv").build();
                assertThatThrownBy(() -> elsewhere.invalidates(1)).hasMessageContaining("call cache.invalidateOnCommit");
            }
        }
    }
}
