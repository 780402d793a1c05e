package dev.runway.lint.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Type names fold exactly as the regular expressions they were first written with did (now compiled once or
 * plain string checks: the release gate runs them for every column of every pending migration, issue #15).
 */
class ColumnDefTypeTest {
    /** The first implementation, kept as the reference. */
    private static String reference(String raw) {
        String t = raw.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
        t = t.replaceFirst("^character varying", "varchar").replaceFirst("^decimal", "numeric")
                .replaceFirst("^timestamp without time zone", "timestamp").replaceFirst("^timestamp with time zone", "timestamptz")
                .replaceFirst("^double precision", "float8").replaceFirst("^integer$", "int").replaceFirst("^int4$", "int")
                .replaceFirst("^bigint$", "int8").replaceFirst("^pg_catalog\\.", "");
        return t.replace(" (", "(").replace("( ", "(").replace(" )", ")").replace(", ", ",");
    }

    @Test
    void foldsTypesAsTheRegularExpressionsDid() {
        List<String> types = List.of("integer", "INTEGER", " int4 ", "int", "bigint", "BIGINT", "int8", "bigint[]", "integer[]",
                "character varying", "CHARACTER  VARYING ( 20 )", "character varying(20)", "character(3)", "varchar(20)",
                "decimal", "DECIMAL(10, 2)", "numeric ( 10 , 2 )", "timestamp without time zone", "timestamp with time zone",
                "TIMESTAMP\tWITH\nTIME ZONE", "timestamptz", "timestamp(3) with time zone", "double precision", "float8",
                "pg_catalog.int4", "pg_catalog.integer", "pg_catalog.varchar(5)", "public.my_type", "serial", "bigserial",
                "smallserial", "serial8", "text", "jsonb", "integerx", "int4range", "bigint_domain", "", "  ");
        for (String raw : types) {
            assertThat(ColumnDef.normalizeType(raw)).as("'%s'", raw).isEqualTo(reference(raw));
            String t = ColumnDef.normalizeType(raw);
            ColumnDef c = new ColumnDef("c", t, false, false, false, false, false, null, false, false, false, List.of());
            assertThat(c.serial()).as("serial '%s'", raw).isEqualTo(t.matches("(small|big)?serial[248]?"));
            assertThat(c.int32()).as("int32 '%s'", raw).isEqualTo(t.matches("int|int4|integer|smallint|int2|serial|serial4|smallserial|serial2"));
        }
    }
}
