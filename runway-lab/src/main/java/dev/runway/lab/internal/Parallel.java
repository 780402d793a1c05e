package dev.runway.lab.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs an action on each item in its own thread and waits for all; rethrows the first failure (others suppressed). */
public final class Parallel {
    private Parallel() {
    }

    public static <T> void run(List<T> items, Consumer<T> action) {
        if (items.size() == 1) {
            action.accept(items.get(0));
            return;
        }
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> errors = new ArrayList<>();
        for (T item : items) {
            Thread t = new Thread(() -> {
                try {
                    action.accept(item);
                } catch (RuntimeException | Error e) {
                    synchronized (errors) {
                        errors.add(e instanceof RuntimeException ? (RuntimeException) e : new RuntimeException(e));
                    }
                }
            }, "runway-lab-" + item);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + t.getName(), e);
            }
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.get(0);
            for (int i = 1; i < errors.size(); i++) {
                first.addSuppressed(errors.get(i));
            }
            throw first;
        }
    }
}
