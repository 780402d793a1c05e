package dev.runway.core;

import java.time.Duration;

/** Waits; injected wherever Runway backs off, so tests of retry logic run instantly. */
@FunctionalInterface
public interface Sleeper {
    /** The real thing: {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
