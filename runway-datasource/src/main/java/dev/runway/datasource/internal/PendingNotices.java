package dev.runway.datasource.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OnCommit} notices received by the invalidation bus that still wait for the position of
 * their commit: paired with the {@code Position} notice of the same channel and token (sent by the
 * writer right after its COMMIT), or, when that does not come within the grace period (the writer
 * died after COMMIT, or it is plain JDBC that sends none), resolved by asking the primary for its
 * position, which at that time covers every commit already delivered. Thread-safe.
 */
public final class PendingNotices {
    /** Keys of one channel and the id they are pending under. */
    public record Keys(String channel, List<String> keys) {
    }

    private static final class Entry {
        final String channel;
        final List<String> keys = new ArrayList<>(2);
        final long receivedAt;
        boolean asked;

        Entry(String channel, long receivedAt) {
            this.channel = channel;
            this.receivedAt = receivedAt;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final long graceNanos;

    /** @param graceNanos how long an OnCommit waits for its Position before the primary is asked */
    public PendingNotices(long graceNanos) {
        this.graceNanos = graceNanos;
    }

    /** An OnCommit notice arrived at {@code now} (nanoTime). */
    public synchronized void onCommit(String channel, String token, String key, long now) {
        entries.computeIfAbsent(id(channel, token), k -> new Entry(channel, now)).keys.add(key);
    }

    /** The Position notice for {@code token} arrived: its keys, or null when none wait (already resolved, or sent before we listened). */
    public synchronized Keys position(String channel, String token) {
        Entry e = entries.remove(id(channel, token));
        return e == null ? null : new Keys(e.channel, e.keys);
    }

    /**
     * Ids of the entries that have waited at least the grace period and are not being asked about
     * yet; marks them asked. The caller reads the primary's position (after this call) and passes it
     * to {@link #answered}, or calls {@link #askFailed}.
     */
    public synchronized List<String> dueForAsking(long now) {
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry v = e.getValue();
            if (!v.asked && now - v.receivedAt >= graceNanos) {
                v.asked = true;
                due.add(e.getKey());
            }
        }
        return due;
    }

    /** The primary answered for {@code ids}: the keys of those still pending (a Position may have come first). */
    public synchronized List<Keys> answered(List<String> ids) {
        List<Keys> out = new ArrayList<>();
        for (String id : ids) {
            Entry e = entries.remove(id);
            if (e != null) {
                out.add(new Keys(e.channel, e.keys));
            }
        }
        return out;
    }

    /** Asking failed: these entries are due again. */
    public synchronized void askFailed(List<String> ids) {
        for (String id : ids) {
            Entry e = entries.get(id);
            if (e != null) {
                e.asked = false;
            }
        }
    }

    /** Nanoseconds until the next entry becomes due (0 when one is due now), or -1 when none waits unasked. */
    public synchronized long nanosUntilDue(long now) {
        long best = -1;
        for (Entry e : entries.values()) {
            if (!e.asked) {
                long left = Math.max(0, e.receivedAt + graceNanos - now);
                best = best < 0 ? left : Math.min(best, left);
            }
        }
        return best;
    }

    /** Entries waiting (for tests and metrics). */
    public synchronized int size() {
        return entries.size();
    }

    /** Forgets everything (the listening connection was replaced: an invalidate-all covers it). */
    public synchronized void clear() {
        entries.clear();
    }

    private static String id(String channel, String token) {
        return channel + ' ' + token;
    }
}
