package dev.runway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Parallel}: every task once, outcomes in index order, failures handed back as thrown, on two threads when worth it. */
class ParallelTest {
    @Test
    void everyTaskRunsOnceAndOutcomesAreInIndexOrder() {
        for (int n : new int[] {0, 1, Parallel.MIN_TASKS - 1, Parallel.MIN_TASKS, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(n, 1));
            List<Parallel.Outcome<String>> out = Parallel.run(n, i -> {
                runs.incrementAndGet(i);
                return "v" + i;
            });
            assertThat(out).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.get(i).get()).isEqualTo("v" + i);
                assertThat(runs.get(i)).as("runs of %d", i).isEqualTo(1);
            }
        }
    }

    @Test
    void manyTasksShareTheCallerAndOneHelperThread() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Parallel.run(2000, i -> {
            threads.add(Thread.currentThread().getName());
            for (long spin = System.nanoTime(); System.nanoTime() - spin < 20_000;) {
                Thread.onSpinWait(); // long enough for the helper to take some
            }
            return i;
        });
        assertThat(threads).contains(Thread.currentThread().getName()).hasSizeLessThanOrEqualTo(2);
        if (Runtime.getRuntime().availableProcessors() >= 2) {
            assertThat(threads).hasSize(2);
        }
        Set<String> few = ConcurrentHashMap.newKeySet();
        Parallel.run(Parallel.MIN_TASKS - 1, i -> few.add(Thread.currentThread().getName()));
        assertThat(few).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void failuresAreHandedBackAsThrownInIndexOrder() {
        IllegalArgumentException at7 = new IllegalArgumentException("7");
        StackOverflowError at500 = new StackOverflowError("500");
        List<Parallel.Outcome<Integer>> out = Parallel.run(1000, i -> {
            if (i == 7) {
                throw at7;
            }
            if (i == 500) {
                throw at500;
            }
            return i;
        });
        assertThat(out.get(6).get()).isEqualTo(6);
        assertThatThrownBy(() -> out.get(7).get()).isSameAs(at7);
        assertThat(out.get(8).get()).isEqualTo(8);
        assertThatThrownBy(() -> out.get(500).get()).isSameAs(at500);
        assertThat(out.get(999).get()).isEqualTo(999);
    }

    @Test
    void sequentialRunsOnTheCallerAndStopsAtTheFirstFailure() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(100);
        IllegalStateException at40 = new IllegalStateException("40");
        List<Parallel.Outcome<Integer>> out = Parallel.sequential(100, i -> {
            threads.add(Thread.currentThread().getName());
            runs.incrementAndGet(i);
            if (i == 40) {
                throw at40;
            }
            return i;
        });
        assertThat(threads).containsExactly(Thread.currentThread().getName());
        assertThat(out).hasSize(100);
        assertThat(out.get(39).get()).isEqualTo(39);
        assertThatThrownBy(() -> out.get(40).get()).isSameAs(at40);
        assertThatThrownBy(() -> out.get(99).get()).isSameAs(at40);
        assertThat(runs.get(41)).as("nothing runs after the failure").isZero();
    }

    @Test
    void anInterruptWhileWaitingIsKeptForTheCaller() {
        Thread.currentThread().interrupt();
        List<Parallel.Outcome<Integer>> out = Parallel.run(200, i -> i);
        assertThat(Thread.interrupted()).as("interrupt kept (and cleared here)").isTrue();
        assertThat(out.get(199).get()).isEqualTo(199);
    }
}
