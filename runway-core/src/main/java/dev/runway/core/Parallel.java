package dev.runway.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs independent tasks {@code 0..n-1} (reading, hashing and parsing the files of a migration
 * directory) on the calling thread and at most one helper thread, and hands back their outcomes in
 * index order: a caller that then walks them in order, calling {@link Outcome#get()}, sees the values
 * and the first failure exactly as if it had run the tasks one after another itself. Each task runs
 * exactly once, on one thread; what it returns is visible to the caller when {@link #run} returns.
 * One helper, not one per core: two files in flight bound the memory of large files, and the second
 * core is what a 2-core deploy machine has.
 */
public final class Parallel {
    /** Below this many tasks everything runs on the calling thread (a thread costs more than it saves). */
    static final int MIN_TASKS = 32;

    private Parallel() {
    }

    /** One task's value, or its failure. */
    public static final class Outcome<T> {
        private T value;
        private Throwable failure;

        /** The task's value; rethrows what it threw (unchecked exceptions and errors as they were). */
        public T get() {
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return value;
        }
    }

    /**
     * {@link #run} on the calling thread alone, stopping at the first failure: the tasks after it never run, and their
     * outcomes rethrow that same failure.
     */
    public static <T> List<Outcome<T>> sequential(int n, IntFunction<T> task) {
        List<Outcome<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Outcome<T> o = new Outcome<>();
            out.add(o);
            if (i == 0 || out.get(i - 1).failure == null) {
                try {
                    o.value = task.apply(i);
                } catch (RuntimeException | Error e) {
                    o.failure = e;
                }
            } else {
                o.failure = out.get(i - 1).failure;
            }
        }
        return out;
    }

    /** Runs {@code task} for every index from 0 to {@code n - 1}; never throws what a task throws (see {@link Outcome#get()}). */
    public static <T> List<Outcome<T>> run(int n, IntFunction<T> task) {
        List<Outcome<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Outcome<>());
        }
        AtomicInteger next = new AtomicInteger();
        // a class, not a lambda: a cold JVM pays for linking each lambda's call site (check --static links none)
        Runnable work = new Runnable() {
            @Override
            public void run() {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    Outcome<T> o = out.get(i);
                    try {
                        o.value = task.apply(i);
                    } catch (Throwable t) { // OutOfMemoryError too: the caller reports it as its own
                        o.failure = t;
                    }
                }
            }
        };
        if (n < MIN_TASKS || Runtime.getRuntime().availableProcessors() < 2) {
            work.run();
            return out;
        }
        Thread helper = new Thread(work, "runway-parallel");
        helper.setDaemon(true);
        try {
            helper.start();
        } catch (OutOfMemoryError noThread) { // no native thread to be had: all on this one
            work.run();
            return out;
        }
        work.run();
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the tasks are short: finish them, keep the interrupt for the caller's next safe point
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
