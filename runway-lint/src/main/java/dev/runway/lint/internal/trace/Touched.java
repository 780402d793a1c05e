package dev.runway.lint.internal.trace;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
            // lookups is what fits any set of ids (custom plans cost more to make than to run: ~6 ms vs ~0.7 ms).
            + "CREATE OR REPLACE FUNCTION " + SCHEMA + ".snapshot(oid[], oid[], oid[], oid[], oid[]) RETURNS TABLE (k text, v text, id text)"
            + " LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $f$ BEGIN\n"
            + "  RETURN QUERY " + Catalog.scopedSql() + ";\nEND $f$;\n"
            + "DROP EVENT TRIGGER IF EXISTS runway_round_trip_end;\n"
            + "DROP EVENT TRIGGER IF EXISTS runway_round_trip_drop;\n"
            + "CREATE EVENT TRIGGER runway_round_trip_end ON ddl_command_end EXECUTE FUNCTION " + SCHEMA + ".ddl_command_end();\n"
            + "CREATE EVENT TRIGGER runway_round_trip_drop ON sql_drop EXECUTE FUNCTION " + SCHEMA + ".sql_drop();\n"
            // ALWAYS: a down section that sets session_replication_role = replica is still recorded.
            + "ALTER EVENT TRIGGER runway_round_trip_end ENABLE ALWAYS;\n"
            + "ALTER EVENT TRIGGER runway_round_trip_drop ENABLE ALWAYS";

    /** Reads {@link Catalog#scopedSql()} for five oid[] literals: relations, types, functions, constraints, column defaults. */
    static final String SNAPSHOT = "SELECT * FROM " + SCHEMA + ".snapshot(CAST(? AS oid[]), CAST(? AS oid[]), CAST(? AS oid[]),"
            + " CAST(? AS oid[]), CAST(? AS oid[]))";

    /** Turns recording on until the enclosing savepoint is rolled back. */
    static final String START = "SET LOCAL runway.round_trip = 'on'";

    private static final String READ = "SELECT classid::regclass::text, objid::bigint FROM " + SCHEMA + ".touched"
            + " UNION ALL SELECT '', 0 WHERE current_setting('runway.round_trip', true) IS DISTINCT FROM 'on'";

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
     * The objects recorded since {@link #START}, by catalog; null when recording was switched off in
     * between (a migration that resets settings), so the caller must compare the whole schema.
     */
    static Scope read(Statement st) throws SQLException {
        List<Long> rels = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        List<Long> procs = new ArrayList<>();
        List<Long> cons = new ArrayList<>();
        List<Long> defaults = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(READ)) {
            while (rs.next()) {
                long oid = rs.getLong(2);
                switch (rs.getString(1)) {
                    case "": return null;
                    case "pg_class": rels.add(oid); break;
                    case "pg_type": types.add(oid); break;
                    case "pg_proc": procs.add(oid); break;
                    case "pg_constraint": cons.add(oid); break;
                    case "pg_attrdef": defaults.add(oid); break;
                    default: break; // triggers, policies, comments' objects, ...: not part of the snapshot
                }
            }
        }
        return new Scope(array(rels), array(types), array(procs), array(cons), array(defaults));
    }

    private static String array(List<Long> l) {
        StringBuilder b = new StringBuilder("{");
        for (long v : l) {
            b.append(b.length() > 1 ? "," : "").append(v);
        }
        return b.append('}').toString();
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
