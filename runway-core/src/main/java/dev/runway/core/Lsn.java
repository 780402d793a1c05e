package dev.runway.core;

/**
 * A PostgreSQL WAL location ({@code pg_lsn}), e.g. {@code 16/B374D848}. Compared unsigned, as the
 * server does. Immutable.
 *
 * @param value the 64-bit position, to be read as unsigned
 */
public record Lsn(long value) implements Comparable<Lsn> {
    /** {@code 0/0}, the invalid location; below every real one. */
    public static final Lsn ZERO = new Lsn(0);

    /**
     * Parses the server's text form {@code X/Y} (hex, each half at most 8 digits).
     *
     * @throws IllegalArgumentException on anything else, naming the input
     */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN is null");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not an LSN (expected hex X/Y): '" + text + "'");
        }
        try {
            long hi = Long.parseLong(text.substring(0, slash), 16);
            long lo = Long.parseLong(text.substring(slash + 1), 16);
            return new Lsn((hi << 32) | lo);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected hex X/Y): '" + text + "'", e);
        }
    }

    /** True when this location is at or past {@code other}. */
    public boolean reached(Lsn other) {
        return compareTo(other) >= 0;
    }

    /** Bytes from {@code earlier} to this location (negative when this is earlier). */
    public long minus(Lsn earlier) {
        return value - earlier.value;
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    /** The server's text form, {@code X/Y} in upper-case hex. */
    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
