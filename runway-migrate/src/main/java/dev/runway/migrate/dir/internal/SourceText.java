package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import java.io.FileInputStream;
import java.io.IOException;
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

    /** The raw bytes of {@code file}, or a USAGE error naming {@code where}. */
    public static byte[] readBytes(Path file, String where) {
        // FileInputStream rather than Files.readAllBytes: a third of the cost in a cold JVM (fewer
        // layers), and a release reads every file of the directory.
        try (FileInputStream in = new FileInputStream(file.toString())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new RunwayException(dev.runway.core.ErrorCode.USAGE, where + ": cannot read file (" + e + ")", e);
        }
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
}
