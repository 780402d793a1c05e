package dev.runway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Dynamic tests whose work runs ahead on two threads, in the cases' order: each case's test waits
 * for its own work and rethrows what it threw, so a failure is reported under its case as before.
 * For table-driven ITs whose cases are independent (each its own database and directory) and spend
 * their time starting child JVMs; two at a time halves their wall time on this kind of machine.
 */
final class Ahead {
    static final int THREADS = 2;

    private Ahead() {
    }

    static <C> Stream<DynamicTest> tests(List<C> cases, Function<C, String> name, ThrowingConsumer<C> work) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ahead");
            t.setDaemon(true);
            return t;
        });
        List<Future<Void>> done = new ArrayList<>();
        for (C c : cases) {
            done.add(pool.submit(() -> {
                try {
                    work.accept(c);
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                return null;
            }));
        }
        pool.shutdown();
        return IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(name.apply(cases.get(i)), () -> {
            try {
                done.get(i).get();
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        }));
    }
}
