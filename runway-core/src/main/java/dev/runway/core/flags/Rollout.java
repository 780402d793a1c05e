package dev.runway.core.flags;

/**
 * The stable bucket (0..99) of a subject for a flag, for percentage rollouts: a flag at P % is on for
 * the subjects whose bucket is below P. Depends only on the flag's name and the subject's text, so a
 * subject gets the same answer on every instance, in every region, across restarts and Java versions;
 * raising P only adds subjects (those already in stay in); different flags pick independent subjects.
 * A {@code long} subject is the same subject as its decimal text ({@code 42L} = {@code "42"}).
 * Allocation-free; thread-safe.
 *
 * <p>The hash is 64-bit MurmurHash3-style mixing (Austin Appleby's public-domain constants) over the
 * UTF-16 code units, four per block, seeded by the flag; the bucket is the top 32 bits scaled to 100
 * by multiply-shift (no modulo bias).
 */
public final class Rollout {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Rollout() {
    }

    /** The seed of a flag: computed once per flag, passed to {@link #bucket}. */
    public static long seed(String flagName) {
        return fmix(mixString(0x9E3779B97F4A7C15L, flagName));
    }

    /** The bucket of {@code subject} for the flag with {@code seed}: 0..99. */
    public static int bucket(long seed, CharSequence subject) {
        return scale(fmix(mixString(seed, subject)));
    }

    /** The bucket of {@code subject} (its decimal text) for the flag with {@code seed}: 0..99. */
    public static int bucket(long seed, long subject) {
        if (subject < 0) {
            return bucket(seed, Long.toString(subject)); // rare: ids are positive; this path allocates
        }
        // The decimal digits, least significant first, packed 4 bits each into two longs (19 digits at most).
        long lo = 0;
        long hi = 0;
        int n = 0;
        long v = subject;
        do {
            long q = v / 10; // one division by a constant (a multiply), the remainder from it
            long d = v - q * 10;
            v = q;
            if (n < 16) {
                lo |= d << (4 * n);
            } else {
                hi |= d << (4 * (n - 16));
            }
            n++;
        } while (v != 0);
        long h = seed;
        long k = 0;
        int inBlock = 0;
        for (int i = n - 1; i >= 0; i--) { // most significant first, as in the text
            long d = i < 16 ? (lo >>> (4 * i)) & 0xF : (hi >>> (4 * (i - 16))) & 0xF;
            k |= ('0' + d) << (16 * inBlock);
            if (++inBlock == 4) {
                h = block(h, k);
                k = 0;
                inBlock = 0;
            }
        }
        return scale(fmix(tail(h, k, n)));
    }

    private static long mixString(long seed, CharSequence s) {
        long h = seed;
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long k = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48;
            h = block(h, k);
        }
        long k = 0;
        for (int j = 0; i < n; i++, j++) {
            k |= (long) s.charAt(i) << (16 * j);
        }
        return tail(h, k, n);
    }

    private static long block(long h, long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        k *= C2;
        h ^= k;
        h = Long.rotateLeft(h, 27);
        return h * 5 + 0x52dce729;
    }

    private static long tail(long h, long k, int length) {
        if (k != 0) {
            k *= C1;
            k = Long.rotateLeft(k, 31);
            k *= C2;
            h ^= k;
        }
        return h ^ length;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static int scale(long h) {
        return (int) (((h >>> 32) * 100) >>> 32);
    }
}
