package dev.runway.lint.internal.trace;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Server-side helpers on the scratch database, in schema {@value #SCHEMA} (left out of every catalog
 * snapshot): PL/pgSQL functions for the probes and snapshots, whose plans are made once per session
 * instead of once per statement, and the record of the objects a round trip's down and up touch. That
 * record is kept by two event triggers: {@code ddl_command_end} ({@code pg_event_trigger_ddl_commands()}:
 * created and altered objects, also DDL inside DO blocks and functions) and {@code sql_drop}
 * ({@code pg_event_trigger_dropped_objects()}: everything dropped, cascaded objects and columns
 * included). They write only while {@code runway.round_trip} is on, which the round trip sets with
 * SET LOCAL inside its savepoint; the rows live in the unlogged table {@code touched} and vanish with
 * the rollback to the savepoint, so the table is always empty between round trips. Creating event
 * triggers needs a superuser: without one the round trip compares the whole schema. Stateless.
 */
final class Touched {
    /** The schema holding the helpers; catalog snapshots leave it out. */
    static final String SCHEMA = "runway_trace";

    /** What {@link #install} managed. */
    enum Level {
        /** nothing: inline SQL throughout */
        NONE,
        /** the functions, not the triggers (not a superuser) */
        FUNCTIONS,
        /** functions and triggers */
        TRIGGERS
    }

    /** Calls {@link Probe#SQL}. */
    static final String PROBE = "SELECT * FROM " + SCHEMA + ".probe()";
    /** Calls {@link Probe#SQL_FIRST}. */
    static final String PROBE_FIRST = "SELECT * FROM " + SCHEMA + ".probe_first()";

    private static final String FUNCTIONS = "CREATE SCHEMA IF NOT EXISTS " + SCHEMA + ";\n"
            + "CREATE UNLOGGED TABLE IF NOT EXISTS " + SCHEMA + ".touched (classid oid NOT NULL, objid oid NOT NULL);\n"
            + probeFunction("probe", Probe.SQL) + probeFunction("probe_first", Probe.SQL_FIRST)
            // The scoped snapshot: a generic plan of index lookups is what fits a few ids (a custom plan costs more to make
            // than to run, ~6 ms against ~0.6 ms at 1,000 migrations; left to itself the planner hash-joins a whole
            // pg_class scan for an array of unknown size).
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".snapshot(oid[], oid[], oid[], oid[], oid[]) RETURNS TABLE (k text, v text, id text)"
            + " LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off"
            + " SET enable_mergejoin = off AS $f$ #variable_conflict use_column\nBEGIN\n"
            + "  RETURN QUERY " + Catalog.scopedSql() + ";\nEND $f$;\n"
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".snapshot_now() RETURNS TABLE (k text, v text, id text)"
            + " LANGUAGE plpgsql STABLE AS $f$ #variable_conflict use_column\nBEGIN\n  RETURN QUERY " + snapshotNow() + ";\nEND $f$";

    private static final String TRIGGERS = "CREATE OR REPLACE FUNCTION " + SCHEMA + ".ddl_command_end() RETURNS event_trigger LANGUAGE plpgsql"
            + " SET search_path = pg_catalog AS $f$ BEGIN\n"
            + "  IF current_setting('runway.round_trip', true) = 'on' THEN\n"
            + "    INSERT INTO " + SCHEMA + ".touched SELECT classid, objid FROM pg_event_trigger_ddl_commands();\n"
            + "  END IF;\nEND $f$;\n"
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".sql_drop() RETURNS event_trigger LANGUAGE plpgsql"
            + " SET search_path = pg_catalog AS $f$ BEGIN\n"
            + "  IF current_setting('runway.round_trip', true) = 'on' THEN\n"
            + "    INSERT INTO " + SCHEMA + ".touched SELECT classid, objid FROM pg_event_trigger_dropped_objects();\n"
            + "  END IF;\nEND $f$;\n"
            + "DROP EVENT TRIGGER IF EXISTS runway_trace_end;\n"
            + "DROP EVENT TRIGGER IF EXISTS runway_trace_drop;\n"
            + "CREATE EVENT TRIGGER runway_trace_end ON ddl_command_end EXECUTE FUNCTION " + SCHEMA + ".ddl_command_end();\n"
            + "CREATE EVENT TRIGGER runway_trace_drop ON sql_drop EXECUTE FUNCTION " + SCHEMA + ".sql_drop();\n"
            // ALWAYS: a down section that sets session_replication_role = replica is still recorded.
            + "ALTER EVENT TRIGGER runway_trace_end ENABLE ALWAYS;\n"
            + "ALTER EVENT TRIGGER runway_trace_drop ENABLE ALWAYS";

    /** A function returning a probe's 7 columns, the first named {@code runway_probe} as {@link Probe#is} expects. */
    private static String probeFunction(String name, String sql) {
        return "CREATE OR REPLACE FUNCTION " + SCHEMA + "." + name + "() RETURNS TABLE (runway_probe text, p_oid bigint, p_relname text,"
                + " p_relkind text, p_relfilenode bigint, p_scans bigint, p_parent text) LANGUAGE plpgsql AS $f$ #variable_conflict use_column\nBEGIN\n"
                + "  RETURN QUERY SELECT x.a::text, x.b::bigint, x.c::text, x.d::text, x.e::bigint, x.f::bigint, x.g::text FROM ("
                + sql + ") x(a, b, c, d, e, f, g);\nEND $f$;\n";
    }

    /** Turns recording on until the enclosing savepoint is rolled back. */
    static final String START = "SET LOCAL runway.round_trip = 'on'";

    private static final String CLASSES = "'pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass,"
            + " 'pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_constraint'::regclass, 'pg_catalog.pg_attrdef'::regclass";

    /**
     * What down and up touched, in one query: first a row with a null key, the five oid[] of the
     * {@link Scope} ("r;t;p;c;d") and "on" (or "off" when recording was switched off); then, when
     * anything was touched, the scoped snapshot of it as it is now ({@link Catalog#from}).
     */
    static final String SNAPSHOT_NOW = "SELECT * FROM " + SCHEMA + ".snapshot_now()";

    private static String snapshotNow() {
        return "WITH o AS (SELECT"
                + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_class'::regclass), '{}') r,"
                + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_type'::regclass), '{}') t,"
                + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_proc'::regclass), '{}') p,"
                + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_constraint'::regclass), '{}') co,"
                + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_attrdef'::regclass), '{}') d,"
                + " count(*) FILTER (WHERE classid IN (" + CLASSES + ")) n,"
                + " current_setting('runway.round_trip', true) IS NOT DISTINCT FROM 'on' rec FROM " + SCHEMA + ".touched)"
                + " SELECT NULL::text, r::text || ';' || t::text || ';' || p::text || ';' || co::text || ';' || d::text,"
                + " CASE WHEN rec THEN 'on' ELSE 'off' END FROM o"
                + " UNION ALL SELECT s.k, s.v, s.id FROM o CROSS JOIN LATERAL " + SCHEMA + ".snapshot(o.r, o.t, o.p, o.co, o.d) s"
                + " WHERE o.n > 0 AND o.rec ORDER BY 1 NULLS FIRST";
    }

    private Touched() {
    }

    /**
     * Installs the helpers on {@code c} (autocommit on), the functions and (with {@code triggers}, for
     * round trips) the triggers each in their own transaction; what the server refuses (event triggers
     * without a superuser) is left out.
     */
    static Level install(Connection c, boolean triggers) {
        if (!run(c, FUNCTIONS)) {
            return Level.NONE;
        }
        return triggers && run(c, TRIGGERS) ? Level.TRIGGERS : Level.FUNCTIONS;
    }

    private static boolean run(Connection c, String sql) {
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(sql);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                return false;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The scope from the first row of {@link #SNAPSHOT_NOW}'s result (the rest is left to read); null
     * when recording was switched off in between (a migration that resets settings), so the caller
     * must compare the whole schema.
     */
    static Scope scope(ResultSet rs) throws SQLException {
        if (!rs.next() || rs.getString(1) != null || !"on".equals(rs.getString(3))) {
            return null;
        }
        String[] a = rs.getString(2).split(";", -1);
        return new Scope(a[0], a[1], a[2], a[3], a[4]);
    }

    /** The query reading {@code scope}'s snapshot (oid[] literals: digits, commas and braces only). */
    static String snapshot(Scope s) {
        return "SELECT k, v, id FROM " + SCHEMA + ".snapshot('" + s.rels() + "', '" + s.types() + "', '" + s.procs() + "', '"
                + s.constraints() + "', '" + s.defaults() + "')";
    }

    /**
     * Object ids touched, as oid[] literals: relations (tables, views, sequences, indexes; a column
     * counts as its table), types (enums, domains), functions, constraints, column defaults.
     */
    record Scope(String rels, String types, String procs, String constraints, String defaults) {
        boolean isEmpty() {
            return (rels + types + procs + constraints + defaults).equals("{}{}{}{}{}");
        }
    }
}
