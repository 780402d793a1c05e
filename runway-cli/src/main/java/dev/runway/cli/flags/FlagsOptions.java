package dev.runway.cli.flags;

import dev.runway.cli.CommonOptions;
import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.flags.Flag;
import dev.runway.core.flags.FlagTable;
import dev.runway.core.pg.PgSession;
import dev.runway.core.pg.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How every {@code runway flags} command runs. Their settings flags are {@link #SETTINGS}, given to them from the
 * {@link Setting} registry like every other command's.
 */
final class FlagsOptions {
    /** The settings every {@code runway flags} command reads. */
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.SCHEMA, Setting.FLAGS_TABLE, Setting.FORMAT);

    private FlagsOptions() {
    }

    /** Work on the flags table with a connection to the primary. */
    interface Work {
        ObjectNode run(FlagTable table, Connection c, Output out) throws SQLException;
    }

    /**
     * Resolves the settings, connects and runs {@code work}, which prints text itself and returns the
     * JSON document. Errors become {@link RunwayException}s with their exit code; under
     * {@code --format json} an error document is printed too.
     */
    static int run(CommonOptions common, Work work) {
        return run(common, () -> { }, work);
    }

    /** {@link #run(Work)} after {@code check} (validation of the arguments, before connecting). */
    static int run(CommonOptions common, Runnable check, Work work) {
        Settings s = common.settings();
        Output out = common.output(s);
        try {
            check.run();
            FlagTable t = table(s);
            try (Connection c = PgSession.connect(s.url(), "runway flags")) {
                ObjectNode doc = work.run(t, c, out);
                if (out.json()) {
                    out.printJson(doc.put("table", t.displayName()), 0);
                }
                return 0;
            } catch (SQLException e) {
                throw wrap(s, e);
            }
        } catch (RunwayException e) {
            throw e; // Main.report prints the one line and, under --format json, the run's one error document
        }
    }

    private static FlagTable table(Settings s) {
        try {
            return new FlagTable(s.get(Setting.SCHEMA), s.get(Setting.FLAGS_TABLE));
        } catch (RunwayException e) {
            throw RunwayException.usage(s.source(Setting.FLAGS_TABLE) + ": " + e.getMessage());
        }
    }

    private static RunwayException wrap(Settings s, SQLException e) {
        if (SqlStates.isSessionLost(e)) {
            return PgSession.unreachable(s.url(), e);
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        if (SqlStates.isReadOnly(e)) {
            return RunwayException.usage(s.url() + " is read-only (a replica?): flags are changed on the primary; set DATABASE_URL"
                    + " or --url to it");
        }
        return new RunwayException("42501".equals(e.getSQLState()) ? ErrorCode.USAGE : ErrorCode.MIGRATION_FAILED,
                "database error: " + m + " [" + e.getSQLState() + "]", e);
    }

    /** A flag as a JSON object. */
    static ObjectNode json(Flag f) {
        ObjectNode n = Output.mapper().createObjectNode().put("name", f.name()).put("enabled", f.enabled()).put("percent", f.percent());
        f.regions().forEach(n.putArray("regions")::add);
        if (f.regions().isEmpty()) {
            n.putArray("regions");
        }
        return n.put("updated_by", f.updatedBy()).put("updated_at", f.updatedAt() == null ? null : f.updatedAt().toString());
    }

    static <T> ObjectNode json(String field, T value, Function<T, ObjectNode> render) {
        ObjectNode n = Output.mapper().createObjectNode();
        if (value == null) {
            n.putNull(field);
        } else {
            n.set(field, render.apply(value));
        }
        return n;
    }
}
