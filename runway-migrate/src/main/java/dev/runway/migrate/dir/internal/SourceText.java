package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a migration file: strict UTF-8, and the normalized form that checksums and the scanner see.
 * Normalizing means dropping a leading byte-order mark and turning CRLF into LF, so a checkout with
 * {@code core.autocrlf} or an editor that adds a BOM does not change any checksum. A lone CR is kept.
 */
public final class SourceText {
    /**
     * @param normalized the normalized bytes (what checksums cover)
     * @param text       the normalized text (what the scanner reads)
     */
    public record Content(byte[] normalized, String text) {
    }

    private SourceText() {
    }

    /** Reads, validates and normalizes {@code file}; {@code where} names it in errors. */
    public static Content read(Path file, String where) {
        byte[] raw = readBytes(file, where);
        return of(raw, normalize(raw), where);
    }

    /** Validates and decodes bytes read earlier ({@code normalized} = {@link #normalize}{@code (raw)}). */
    public static Content of(byte[] raw, byte[] normalized, String where) {
        String text = decode(raw, where);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r\n", "\n");
        }
        return new Content(normalized, text);
    }

    /**
     * Each reading thread's buffer for {@link #readBytes}: most migration files fit it whole. (A class, not a lambda:
     * a cold JVM pays for linking each lambda's call site, and check --static reads a directory without linking one.)
     */
    private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 << 10];
        }
    };

    /** The raw bytes of {@code file}, or a USAGE error naming {@code where}. */
    public static byte[] readBytes(Path file, String where) {
        // FileInputStream rather than Files.readAllBytes: a third of the cost in a cold JVM (fewer layers), and a
        // release reads every file of the directory. Into a buffer until the end, rather than readAllBytes, which
        // first asks the file's size and position: two system calls per file fewer (open, read, read, close).
        try (FileInputStream in = new FileInputStream(file.toString())) {
            byte[] buf = BUFFER.get();
            int n = 0;
            for (int r = in.read(buf, 0, buf.length); r >= 0; r = in.read(buf, n, buf.length - n)) {
                n += r;
                if (n == buf.length) {
                    return rest(in, buf, file);
                }
            }
            return java.util.Arrays.copyOf(buf, n);
        } catch (IOException e) {
            throw new RunwayException(dev.runway.core.ErrorCode.USAGE, where + ": cannot read file (" + e + ")", e);
        }
    }

    /**
     * A file larger than the buffer, whose first {@code buf.length} bytes are in {@code buf}: one array of the file's
     * size (as readAllBytes allocates: a large file under a small heap, issue #9), the rest read into it; a file that
     * grew meanwhile gets what it grew by as well.
     */
    private static byte[] rest(FileInputStream in, byte[] buf, Path file) throws IOException {
        long size = in.getChannel().size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError(file + " is larger than an array can hold (" + size + " bytes)");
        }
        byte[] all = java.util.Arrays.copyOf(buf, (int) Math.max(size, buf.length));
        int n = buf.length + in.readNBytes(all, buf.length, all.length - buf.length);
        if (n < all.length) {
            return java.util.Arrays.copyOf(all, n); // shrank meanwhile
        }
        byte[] more = in.readAllBytes();
        if (more.length == 0) {
            return all;
        }
        byte[] grown = java.util.Arrays.copyOf(all, n + more.length);
        System.arraycopy(more, 0, grown, n, more.length);
        return grown;
    }

    /** Drops a leading UTF-8 byte-order mark and replaces each CR LF with LF. */
    public static byte[] normalize(byte[] raw) {
        if (raw.length < 3 || (raw[0] & 0xFF) != 0xEF) {
            boolean cr = false;
            for (byte b : raw) {
                if (b == '\r') {
                    cr = true;
                    break;
                }
            }
            if (!cr) {
                return raw; // the common case: nothing to normalize, no copy
            }
        }
        int start = raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF ? 3 : 0;
        byte[] out = new byte[raw.length - start];
        int o = 0;
        for (int i = start; i < raw.length; i++) {
            if (raw[i] == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
                continue;
            }
            out[o++] = raw[i];
        }
        return o == out.length ? out : java.util.Arrays.copyOf(out, o);
    }

    /** Decodes strict UTF-8; a malformed or unmappable sequence is a USAGE error with its byte offset. */
    static String decode(byte[] raw, String where) {
        // The common case, a file of ASCII: the runtime's own decoding (a vectorized scan, one copy) instead of a
        // decoder filling a char buffer twice the file's size and copying it again. Lenient decoding turns each
        // malformed byte into one U+FFFD, each valid multi-byte sequence into fewer chars than bytes: as many chars as
        // bytes and no U+FFFD means every byte was ASCII.
        String ascii = new String(raw, StandardCharsets.UTF_8);
        if (ascii.length() == raw.length && ascii.indexOf('\uFFFD') < 0) {
            return ascii;
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(raw.length);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            throw RunwayException.usage(where + ": not valid UTF-8 (byte offset " + in.position()
                    + "); save the file as UTF-8");
        }
        r = dec.flush(out);
        if (r.isError()) {
            throw RunwayException.usage(where + ": not valid UTF-8 (byte offset " + in.position() + "); save the file as UTF-8");
        }
        out.flip();
        return out.toString();
    }

    /**
     * Byte offset of the first sequence in {@code raw} that is not valid UTF-8, or -1 when it all is: what
     * {@link #decode} reports, found without decoding into a buffer the size of the text.
     */
    public static int firstMalformed(byte[] raw) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = dec.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                out.clear();
                return dec.flush(out).isError() ? in.position() : -1;
            }
            out.clear(); // overflow: the decoded text is not kept, only checked
        }
    }

    /**
     * The normalized text of {@code file} as a stream ({@link #normalize} applied on the way: no byte-order mark, CR LF
     * as LF), decoded as strict UTF-8; {@code digest} is fed the normalized bytes, so that at the end it holds what
     * {@link Checksums} computed from them. For files too large to hold: memory stays a few buffers.
     */
    static Reader openNormalized(Path file, MessageDigest digest) throws IOException {
        InputStream normalized = new Normalizing(new FileInputStream(file.toString()));
        return new InputStreamReader(new DigestInputStream(normalized, digest), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** {@link #normalize} as a stream: drops a leading byte-order mark and the CR of each CR LF. */
    private static final class Normalizing extends FilterInputStream {
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int len;
        private boolean started;
        private boolean eof;

        Normalizing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int want) throws IOException {
            if (want == 0) {
                return 0;
            }
            int n = 0;
            while (n < want) {
                if (len - pos < 2 && !eof) {
                    fill();
                }
                if (pos == len) {
                    break;
                }
                byte c = buf[pos++];
                if (c == '\r' && pos < len && buf[pos] == '\n') {
                    continue; // the LF comes next
                }
                b[off + n++] = c;
            }
            return n == 0 ? -1 : n;
        }

        /** Keeps what is left, reads more; at the start, drops a byte-order mark. */
        private void fill() throws IOException {
            System.arraycopy(buf, pos, buf, 0, len - pos);
            len -= pos;
            pos = 0;
            int need = started ? 2 : 3; // a CR and what follows it; at the start, a whole byte-order mark
            while (len < need) {
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) {
                    eof = true;
                    break;
                }
                len += r;
            }
            if (!started) {
                started = true;
                if (len >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
                    pos = 3;
                }
            }
        }

        @Override
        public int available() {
            return len - pos;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
