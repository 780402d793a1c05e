package dev.runway.core.notify;

import dev.runway.core.Lsn;

/**
 * One invalidation message, as carried in a {@code NOTIFY} payload. Three kinds:
 * <ul>
 *   <li>{@link OnCommit} {@code c <token> <key>}: sent inside the writing transaction, so PostgreSQL
 *   delivers it when (and only if) that transaction commits. It cannot carry the commit's WAL
 *   position, which does not exist yet.</li>
 *   <li>{@link Position} {@code p <token> <lsn>}: sent right after that COMMIT, in the same round trip,
 *   with the primary's flush position then, which covers the commit. It tells receivers how far their
 *   replica must replay before the {@code OnCommit} keys of the same token may be dropped.</li>
 *   <li>{@link Published} {@code k <lsn> <key>}: a key and a position that already covers the write,
 *   sent after the commit (or by an autocommit statement after the write).</li>
 * </ul>
 * Immutable.
 */
public sealed interface Notice permits Notice.OnCommit, Notice.Position, Notice.Published {
    /** The text sent as the {@code NOTIFY} payload. */
    String payload();

    /** A key invalidated by the transaction identified by {@code token}, delivered at its commit. */
    record OnCommit(String token, String key) implements Notice {
        @Override
        public String payload() {
            return "c " + token + " " + key;
        }
    }

    /** The position covering the commit of the transaction identified by {@code token}. */
    record Position(String token, Lsn lsn) implements Notice {
        @Override
        public String payload() {
            return "p " + token + " " + lsn;
        }
    }

    /** A key whose write is covered by {@code lsn}. */
    record Published(Lsn lsn, String key) implements Notice {
        @Override
        public String payload() {
            return "k " + lsn + " " + key;
        }
    }

    /** Parses a payload; null when it is not one of Runway's messages. */
    static Notice parse(String payload) {
        if (payload == null || payload.length() < 4 || payload.charAt(1) != ' ') {
            return null;
        }
        int sp = payload.indexOf(' ', 2);
        char kind = payload.charAt(0);
        if (kind == 'p') {
            if (sp < 3) {
                return null;
            }
            Lsn lsn = lsn(payload.substring(sp + 1));
            return lsn == null ? null : new Position(payload.substring(2, sp), lsn);
        }
        if (sp < 3) {
            return null;
        }
        String key = payload.substring(sp + 1);
        if (kind == 'c') {
            return new OnCommit(payload.substring(2, sp), key);
        }
        if (kind == 'k') {
            Lsn lsn = lsn(payload.substring(2, sp));
            return lsn == null ? null : new Published(lsn, key);
        }
        return null;
    }

    private static Lsn lsn(String text) {
        try {
            return Lsn.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
