package dev.runway.migrate.dir.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The checksum algorithms. They are part of the on-disk and in-database format: never change them
 * without a versioned prefix (Liquibase's silent algorithm changes caused mass false mismatches,
 * liquibase/liquibase#7309).
 */
public final class Checksums {
    /** The prefix of {@link #migration} values. */
    public static final String PREFIX = "sha256:";

    /** One digest per thread: getInstance() looks the provider up each time, measurable over 1,000 files. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private Checksums() {
    }

    /**
     * A migration's checksum, as stored in the history table: {@code "sha256:"} + lower-case hex of
     * <ul>
     *   <li>{@code SHA-256(up)} when the migration is one file (native, Flyway without an undo file,
     *       paired or folder without a down file);</li>
     *   <li>{@code SHA-256(SHA-256(up) || SHA-256(down))} when the down section is a separate file.</li>
     * </ul>
     * {@code up} and {@code down} are the files' normalized bytes ({@link SourceText#normalize}).
     */
    public static String migration(byte[] up, byte[] down) {
        byte[] h = down == null ? sha256(up) : sha256(sha256(up), sha256(down));
        return PREFIX + hex(h);
    }

    /** {@link #migration} from the files' SHA-256 hashes ({@code downHash} null without a down file). */
    public static String fromHashes(byte[] upHash, byte[] downHash) {
        return PREFIX + hex(downHash == null ? upHash : sha256(upHash, downHash));
    }

    /**
     * The checksum of a migration's up section, {@code "sha256:"} + hex: of the up file's normalized bytes, or for a
     * one-file migration with a down section, of the bytes before the line of its down marker ({@code downOffset},
     * see {@link Dialects}; -1 without one). The history table keeps it with the down's ({@link #down}), so a down
     * added or fixed after the migration was applied never looks like a changed migration.
     */
    public static String up(byte[] upNormalized, byte[] upHash, int downOffset) {
        if (downOffset < 0) {
            return PREFIX + hex(upHash);
        }
        MessageDigest md = DIGEST.get();
        md.reset();
        md.update(upNormalized, 0, downOffset);
        return PREFIX + hex(md.digest());
    }

    /**
     * The checksum of the down section: of the down file ({@code downHash}), or of the bytes of a one-file
     * migration from its down marker on; null without a down section.
     */
    public static String down(byte[] upNormalized, int downOffset, byte[] downHash) {
        if (downHash != null) {
            return PREFIX + hex(downHash);
        }
        if (downOffset < 0) {
            return null;
        }
        MessageDigest md = DIGEST.get();
        md.reset();
        md.update(upNormalized, downOffset, upNormalized.length - downOffset);
        return PREFIX + hex(md.digest());
    }

    /** Lower-case hex of {@code b}. */
    public static String hexOf(byte[] b) {
        return hex(b);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Lower-case hex (java.util.HexFormat runs several calls per byte, slow in a cold JVM over 1,000 files). */
    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[b[i] & 0xF];
        }
        return new String(out);
    }

    /** SHA-256 of the concatenation of {@code parts}. */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = DIGEST.get();
        md.reset();
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }
}
