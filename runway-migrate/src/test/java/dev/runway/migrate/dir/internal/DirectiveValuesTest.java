package dev.runway.migrate.dir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks of a nolint's rule id and a backfill key, and the ASCII shortcut of the strict UTF-8 decoding,
 * agree with what they replaced (the regular expressions and the decoder, kept here as the reference) on every string
 * over an alphabet of the characters that matter.
 */
class DirectiveValuesTest {
    private static final Pattern RULE = Pattern.compile("RW\\d{3}");
    private static final Pattern BACKFILL_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    @Test
    void ruleIdsAreWhatRwAndThreeDigitsMatched() {
        for (String id : strings("RWrw09\u0661\uFF11x", 6)) {
            boolean accepted;
            try {
                DirectiveParser.nolint(new LineComment("runway:nolint " + id + " a reason", 1, 0, true), "f.sql:1");
                accepted = true;
            } catch (RunwayException e) {
                assertThat(e.getMessage()).contains("is not a rule id");
                accepted = false;
            }
            assertThat(accepted).as("'%s'", id).isEqualTo(!id.isEmpty() && RULE.matcher(id).matches());
        }
    }

    @Test
    void backfillKeysAreWhatThePatternMatched() {
        for (String key : strings("aZ09_-\u00e9.\u0661", 4)) {
            if (key.isEmpty()) {
                continue;
            }
            boolean accepted;
            try {
                DirectiveParser.parse(List.of(new LineComment("runway:backfill " + key + "=1", 1, 0, true)), "f.sql");
                accepted = true;
            } catch (RunwayException e) {
                assertThat(e.getMessage()).contains("backfill takes key=value pairs");
                accepted = false;
            }
            assertThat(accepted).as("'%s'", key).isEqualTo(BACKFILL_KEY.matcher(key).matches());
        }
    }

    @Test
    void decodingGivesWhatTheStrictDecoderGaveOrTheSameError() {
        byte[][] pieces = {{'a'}, {'\n'}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80}};
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(new byte[0]);
        for (byte[] a : pieces) {
            for (byte[] b : pieces) {
                for (byte[] c : pieces) {
                    byte[] all = new byte[a.length + b.length + c.length];
                    System.arraycopy(a, 0, all, 0, a.length);
                    System.arraycopy(b, 0, all, a.length, b.length);
                    System.arraycopy(c, 0, all, a.length + b.length, c.length);
                    inputs.add(all);
                }
            }
        }
        for (byte[] raw : inputs) {
            String expected;
            try {
                expected = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                expected = null;
            }
            String got;
            try {
                got = SourceText.decode(raw, "f.sql");
            } catch (RunwayException e) {
                assertThat(e.getMessage()).startsWith("f.sql: not valid UTF-8 (byte offset " + SourceText.firstMalformed(raw) + ")");
                got = null;
            }
            assertThat(got).as(java.util.Arrays.toString(raw)).isEqualTo(expected);
        }
    }

    /** Every string of up to {@code max} characters of {@code alphabet}. */
    static List<String> strings(String alphabet, int max) {
        List<String> out = new ArrayList<>();
        out.add("");
        int from = 0;
        for (int len = 1; len <= max; len++) {
            int to = out.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    out.add(out.get(i) + c);
                }
            }
            from = to;
        }
        return out;
    }
}
