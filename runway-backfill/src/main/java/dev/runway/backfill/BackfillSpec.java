package dev.runway.backfill;

import dev.runway.core.Durations;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed {@code -- runway:backfill k=v ...} directive (docs/backfill.md lists every key). Parsing
 * is strict: an unknown key, a missing {@code table}/{@code key}, a bad number or duration is a USAGE
 * error naming {@code file:line}. Immutable.
 *
 * @param schema    the table's schema, null for the search path
 * @param table     the table whose key ranges are walked
 * @param key       its key columns, in the order of the index that walks them ({@code key=tenant_id,id}); any
 *                  orderable types; at least one
 * @param className the {@link JavaBackfill} that does each batch's work ({@code class=com.acme.Fix}); null for SQL
 * @param batch     rows per batch at the start (default 1000); the adaptive size starts here
 * @param minBatch  the smallest adaptive size (default min(100, batch))
 * @param maxBatch  the largest adaptive size (default 10 × batch, at most 1,000,000)
 * @param target    the batch duration the size adapts towards (default 200ms; 0 = fixed size)
 * @param pause     sleep between batches (default 0)
 * @param maxLag    wait before a batch while any replica's replay lag exceeds this (default 10s; 0 = never wait)
 */
public record BackfillSpec(String schema, String table, List<String> key, String className, int batch, int minBatch,
                           int maxBatch, Duration target, Duration pause, Duration maxLag) {
    /** Every key the directive accepts. */
    public static final List<String> KEYS = List.of("table", "key", "class", "batch", "min-batch", "max-batch", "target", "pause",
            "max-lag");
    public static final int DEFAULT_BATCH = 1000;
    public static final Duration DEFAULT_TARGET = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(10);
    static final int LIMIT = 1_000_000;
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern CLASS = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    public BackfillSpec {
        key = List.copyOf(key);
    }

    /**
     * @param pairs the raw pairs from {@link dev.runway.migrate.dir.Directives#backfill()}
     * @param at    {@code file:line} of the directive, for errors
     */
    public static BackfillSpec parse(Map<String, String> pairs, String at) {
        for (String k : pairs.keySet()) {
            if (!KEYS.contains(k)) {
                throw RunwayException.usage(at + ": unknown backfill key '" + k + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        String table = required(pairs, "table", at);
        String key = required(pairs, "key", at);
        String schema = null;
        int dot = table.indexOf('.');
        if (dot >= 0) {
            schema = table.substring(0, dot);
            table = table.substring(dot + 1);
            ident(schema, "table", pairs.get("table"), at);
        }
        ident(table, "table", pairs.get("table"), at);
        List<String> columns = new ArrayList<>();
        for (String column : key.split(",", -1)) {
            ident(column, "key", key, at);
            if (columns.contains(column)) {
                throw RunwayException.usage(at + ": backfill key='" + key + "' names " + column + " twice");
            }
            columns.add(column);
        }
        String className = pairs.get("class");
        if (className != null && !CLASS.matcher(className).matches()) {
            throw RunwayException.usage(at + ": backfill class='" + className + "' is not a Java class name"
                    + " (e.g. class=com.acme.backfill.NormalizePhones)");
        }
        int batch = number(pairs, "batch", DEFAULT_BATCH, 1, LIMIT, at);
        int minBatch = number(pairs, "min-batch", Math.min(100, batch), 1, LIMIT, at);
        int maxBatch = number(pairs, "max-batch", (int) Math.min(LIMIT, 10L * batch), 1, LIMIT, at);
        if (minBatch > batch || batch > maxBatch) {
            throw RunwayException.usage(at + ": backfill needs min-batch <= batch <= max-batch (got " + minBatch + " <= " + batch
                    + " <= " + maxBatch + ")");
        }
        return new BackfillSpec(schema, table, columns, className, batch, minBatch, maxBatch, duration(pairs, "target", DEFAULT_TARGET, at),
                duration(pairs, "pause", Duration.ZERO, at), duration(pairs, "max-lag", DEFAULT_MAX_LAG, at));
    }

    /** {@code "schema"."table"} or {@code "table"}, quoted. */
    public String qualifiedTable() {
        return schema == null ? PgSession.ident(table) : PgSession.ident(schema) + "." + PgSession.ident(table);
    }

    /** {@code tenant_id, id} or {@code id}, as written, for messages. */
    public String keyText() {
        return String.join(", ", key);
    }

    /** True for a Java backfill ({@code class=}). */
    public boolean java() {
        return className != null;
    }

    private static String required(Map<String, String> pairs, String k, String at) {
        String v = pairs.get(k);
        if (v == null) {
            throw RunwayException.usage(at + ": backfill needs " + k + "=" + (k.equals("key") ? "<key column(s)>" : "<table>")
                    + " (e.g. '-- runway:backfill table=users key=id batch=5000')");
        }
        return v;
    }

    private static void ident(String name, String k, String given, String at) {
        if (!IDENT.matcher(name).matches()) {
            throw RunwayException.usage(at + ": backfill " + k + "='" + given + "' is not a plain name (letters, digits, _;"
                    + (k.equals("key") ? " tenant_id,id for a composite key)" : " schema.table for another schema)"));
        }
    }

    private static int number(Map<String, String> pairs, String k, int dflt, int min, int max, String at) {
        String v = pairs.get(k);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RunwayException.usage(at + ": backfill " + k + "='" + v + "' is not a whole number from " + min + " to " + max);
    }

    private static Duration duration(Map<String, String> pairs, String k, Duration dflt, String at) {
        String v = pairs.get(k);
        if (v == null) {
            return dflt;
        }
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        return Durations.parse(v, at + ": backfill " + k);
    }
}
