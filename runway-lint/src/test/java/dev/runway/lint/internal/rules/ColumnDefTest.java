package dev.runway.lint.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link ColumnDef}'s type folding, compiled once, gives what the String-regex chain it replaced gave
 * (that chain is kept here as the reference), for every alias, its neighbours and odd spacing.
 */
class ColumnDefTest {
    /** The folding as written before its patterns were compiled once. */
    private static String reference(String raw) {
        String t = raw.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
        t = t.replaceFirst("^character varying", "varchar").replaceFirst("^decimal", "numeric")
                .replaceFirst("^timestamp without time zone", "timestamp").replaceFirst("^timestamp with time zone", "timestamptz")
                .replaceFirst("^double precision", "float8").replaceFirst("^integer$", "int").replaceFirst("^int4$", "int")
                .replaceFirst("^bigint$", "int8").replaceFirst("^pg_catalog\\.", "");
        return t.replace(" (", "(").replace("( ", "(").replace(" )", ")").replace(", ", ",");
    }

    @Test
    void foldsTypesAsTheRegexChainDid() {
        List<String> types = new ArrayList<>();
        for (String base : List.of("character varying", "CHARACTER  VARYING", "decimal", "timestamp without time zone",
                "timestamp with time zone", "double precision", "integer", "int4", "bigint", "int8", "int", "smallint", "text",
                "serial", "bigserial", "smallserial", "serial8", "pg_catalog.int4", "pg_catalog.integer", "pg_catalog.varchar",
                "numeric", "varchar", "timestamptz", "interval", "double\u000Bprecision", "timestamp \f with  time\r\nzone", "bigint\u2028",
                "integer\u0085", "int4\n", "public.my_type", "jsonb", "integerx", "int4range", "bigint_domain", "character(3)",
                "timestamp(3) with time zone", "")) {
            for (String suffix : List.of("", "(20)", " ( 10 , 2 )", "[]", " []", "\n", "\u2028", " with time zone", "x")) {
                for (String pad : List.of("", "  ", "\t")) {
                    types.add(pad + base + suffix + pad);
                }
            }
        }
        for (String raw : types) {
            String folded = ColumnDef.normalizeType(raw);
            assertThat(folded).as("[%s]", raw).isEqualTo(reference(raw));
            assertThat(new ColumnDef("c", folded, false, false, false, false, false, null, false, false, false, List.of()).serial())
                    .as("serial [%s]", raw).isEqualTo(folded.matches("(small|big)?serial[248]?"));
            assertThat(new ColumnDef("c", folded, false, false, false, false, false, null, false, false, false, List.of()).int32())
                    .as("int32 [%s]", raw).isEqualTo(folded.matches("int|int4|integer|smallint|int2|serial|serial4|smallserial|serial2"));
        }
        assertThat(ColumnDef.normalizeType("Character Varying (20)")).isEqualTo("varchar(20)");
        assertThat(ColumnDef.normalizeType("pg_catalog.int4")).isEqualTo("int4");
        assertThat(ColumnDef.normalizeType("integer")).isEqualTo("int");
    }

    /** serial() and int32() accept exactly what the patterns they replaced matched. */
    @Test
    void serialAndInt32AreWhatTheirPatternsMatched() {
        java.util.regex.Pattern serial = java.util.regex.Pattern.compile("(small|big)?serial[248]?");
        java.util.regex.Pattern int32 = java.util.regex.Pattern.compile("int|int4|integer|smallint|int2|serial|serial4|smallserial|serial2");
        List<String> types = new ArrayList<>();
        for (String prefix : List.of("", "small", "big", "tiny", "Small")) {
            for (String base : List.of("serial", "int", "integer", "int4", "int2", "int8", "smallint", "bigint", "serials", "seria")) {
                for (String suffix : List.of("", "2", "4", "8", "1", "16", " ", "[]")) {
                    types.add(prefix + base + suffix);
                }
            }
        }
        for (String type : types) {
            ColumnDef d = new ColumnDef("c", type, false, false, false, false, false, null, false, false, false, List.of());
            assertThat(d.serial()).as(type).isEqualTo(serial.matcher(type).matches());
            assertThat(d.int32()).as(type).isEqualTo(int32.matcher(type).matches());
        }
    }
}
