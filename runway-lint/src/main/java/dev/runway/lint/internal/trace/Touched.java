package dev.runway.lint.internal.trace;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The objects a round trip's down and up touch, recorded by two event triggers on the scratch
 * database: {@code ddl_command_end} ({@code pg_event_trigger_ddl_commands()}: created and altered
 * objects, also DDL inside DO blocks and functions) and {@code sql_drop}
 * ({@code pg_event_trigger_dropped_objects()}: everything dropped, cascaded objects and columns
 * included). They write only while {@code runway.round_trip} is on, which the round trip sets with
 * SET LOCAL inside its savepoint; the rows live in the unlogged table {@code runway_round_trip.touched}
 * and vanish with the rollback to the savepoint, so the table is always empty between round trips.
 * Creating event triggers needs a superuser: without one the round trip compares the whole schema.
 * Stateless.
 */
final class Touched {
    /** The schema holding the table and the trigger functions; the catalog snapshot leaves it out. */
    static final String SCHEMA = "runway_round_trip";

    private static final String INSTALL = "CREATE SCHEMA IF NOT EXISTS " + SCHEMA + ";\n"
            + "CREATE UNLOGGED TABLE IF NOT EXISTS " + SCHEMA + ".touched (classid oid NOT NULL, objid oid NOT NULL);\n"
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".ddl_command_end() RETURNS event_trigger LANGUAGE plpgsql"
            + " SET search_path = pg_catalog AS $f$ BEGIN\n"
            + "  IF current_setting('runway.round_trip', true) = 'on' THEN\n"
            + "    INSERT INTO " + SCHEMA + ".touched SELECT classid, objid FROM pg_event_trigger_ddl_commands();\n"
            + "  END IF;\nEND $f$;\n"
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".sql_drop() RETURNS event_trigger LANGUAGE plpgsql"
            + " SET search_path = pg_catalog AS $f$ BEGIN\n"
            + "  IF current_setting('runway.round_trip', true) = 'on' THEN\n"
            + "    INSERT INTO " + SCHEMA + ".touched SELECT classid, objid FROM pg_event_trigger_dropped_objects();\n"
            + "  END IF;\nEND $f$;\n"
            // The scoped snapshot as a function: PL/pgSQL keeps its plan for the session, and a generic plan of index
            // lookups is what fits a few ids (a custom plan costs more to make than to run, ~6 ms against ~0.6 ms at
            // 1,000 migrations; left to itself the planner hash-joins a whole pg_class scan for an array of unknown size).
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".snapshot(oid[], oid[], oid[], oid[], oid[]) RETURNS TABLE (k text, v text, id text)"
            + " LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off"
            + " SET enable_mergejoin = off AS $f$ BEGIN\n"
            + "  RETURN QUERY " + Catalog.scopedSql() + ";\nEND $f$;\n"
            + "DROP EVENT TRIGGER IF EXISTS runway_round_trip_end;\n"
            + "DROP EVENT TRIGGER IF EXISTS runway_round_trip_drop;\n"
            + "CREATE EVENT TRIGGER runway_round_trip_end ON ddl_command_end EXECUTE FUNCTION " + SCHEMA + ".ddl_command_end();\n"
            + "CREATE EVENT TRIGGER runway_round_trip_drop ON sql_drop EXECUTE FUNCTION " + SCHEMA + ".sql_drop();\n"
            // ALWAYS: a down section that sets session_replication_role = replica is still recorded.
            + "ALTER EVENT TRIGGER runway_round_trip_end ENABLE ALWAYS;\n"
            + "ALTER EVENT TRIGGER runway_round_trip_drop ENABLE ALWAYS";

    /** Turns recording on until the enclosing savepoint is rolled back. */
    static final String START = "SET LOCAL runway.round_trip = 'on'";

    private static final String CLASSES = "'pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass,"
            + " 'pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_constraint'::regclass, 'pg_catalog.pg_attrdef'::regclass";

    /**
     * What down and up touched, in one query: first a row with a null key, the five oid[] of the
     * {@link Scope} ("r;t;p;c;d") and "on" (or "off" when recording was switched off); then, when
     * anything was touched, the scoped snapshot of it as it is now ({@link Catalog#from}).
     */
    static final String SNAPSHOT_NOW = "WITH o AS (SELECT"
            + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_class'::regclass), '{}') r,"
            + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_type'::regclass), '{}') t,"
            + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_proc'::regclass), '{}') p,"
            + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_constraint'::regclass), '{}') co,"
            + " coalesce(array_agg(objid) FILTER (WHERE classid = 'pg_catalog.pg_attrdef'::regclass), '{}') d,"
            + " count(*) FILTER (WHERE classid IN (" + CLASSES + ")) n,"
            + " current_setting('runway.round_trip', true) IS NOT DISTINCT FROM 'on' rec FROM " + SCHEMA + ".touched)"
            + " SELECT NULL::text k, r::text || ';' || t::text || ';' || p::text || ';' || co::text || ';' || d::text v,"
            + " CASE WHEN rec THEN 'on' ELSE 'off' END id FROM o"
            + " UNION ALL SELECT s.k, s.v, s.id FROM o CROSS JOIN LATERAL " + SCHEMA + ".snapshot(o.r, o.t, o.p, o.co, o.d) s"
            + " WHERE o.n > 0 AND o.rec ORDER BY 1 NULLS FIRST";

    private Touched() {
    }

    /**
     * Installs the triggers on {@code c} (autocommit on; its own transaction). Returns false, leaving
     * nothing behind, when the server refuses (not a superuser) or lacks event triggers.
     */
    static boolean install(Connection c) {
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(INSTALL);
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
