package dev.runway.migrate.baseline;

import dev.runway.core.RunwayException;
import java.util.Locale;

/**
 * The runners whose history table {@code runway baseline --from} reads, with the table each one keeps
 * (docs/adoption.md, "Adopting the history a database already has").
 */
public enum BaselineSource {
    FLYWAY("flyway", "flyway_schema_history"),
    LIQUIBASE("liquibase", "databasechangelog"),
    GOLANG_MIGRATE("golang-migrate", "schema_migrations"),
    GOOSE("goose", "goose_db_version"),
    DBMATE("dbmate", "schema_migrations"),
    SQL_MIGRATE("sql-migrate", "gorp_migrations"),
    DIESEL("diesel", "__diesel_schema_migrations"),
    ECTO("ecto", "schema_migrations");

    private final String label;
    private final String defaultTable;

    BaselineSource(String label, String defaultTable) {
        this.label = label;
        this.defaultTable = defaultTable;
    }

    /** The name {@code --from} takes ("golang-migrate"). */
    public String label() {
        return label;
    }

    /** The table that runner keeps its history in, unless configured otherwise. */
    public String defaultTable() {
        return defaultTable;
    }

    /** Parses a {@code --from} value; USAGE error naming {@code where} and the known names otherwise. */
    public static BaselineSource parse(String text, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (BaselineSource s : values()) {
            if (s.label.equals(t)) {
                return s;
            }
        }
        StringBuilder known = new StringBuilder();
        for (BaselineSource s : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(s.label);
        }
        throw RunwayException.usage(where + ": '" + text + "' is not a runner Runway reads the history of (known: " + known + ")");
    }
}
