package dev.runway.datasource.internal;

import java.util.concurrent.atomic.LongAdder;

/** The data source's counters; LongAdders because reads increment them on every connection. Thread-safe. */
public final class Counters {
    public final LongAdder readsReplica = new LongAdder();
    public final LongAdder readsPrimary = new LongAdder();
    public final LongAdder writes = new LongAdder();
    public final LongAdder waits = new LongAdder();
    public final LongAdder waitTimeouts = new LongAdder();
    public final LongAdder fallbacks = new LongAdder();
    public final LongAdder tokensAccepted = new LongAdder();
    public final LongAdder tokensIgnored = new LongAdder();
    public final LongAdder lagChecks = new LongAdder();
    public final LongAdder lagChecksLagging = new LongAdder();
}
