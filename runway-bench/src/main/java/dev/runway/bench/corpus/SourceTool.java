package dev.runway.bench.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The runners whose directories the harness reads as those runners do (order, up/down split,
 * transaction wrapping), to build the psql reference. Each reader is the harness's own, written from
 * the runner's documentation, so the reference never depends on Runway's parser.
 */
public enum SourceTool {
    GOLANG_MIGRATE("golang-migrate"),
    GOOSE("goose"),
    DBMATE("dbmate"),
    SQL_MIGRATE("sql-migrate"),
    DIESEL("diesel"),
    FLYWAY("flyway"),
    LIQUIBASE("liquibase");

    private final String key;

    SourceTool(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static SourceTool byKey(String key) {
        for (SourceTool t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tool '" + key + "' (golang-migrate, goose, dbmate, sql-migrate, diesel,"
                + " flyway, liquibase)");
    }

    /**
     * Reads {@code dir} as this tool does.
     *
     * @param placeholders Flyway placeholders (null: replacement off, as Flyway's placeholderReplacement=false)
     */
    public ReferenceHistory read(Path dir, Map<String, String> placeholders) throws IOException {
        switch (this) {
            case GOLANG_MIGRATE:
                return PairedReader.golangMigrate(dir);
            case DIESEL:
                return PairedReader.diesel(dir);
            case GOOSE:
                return MarkerReader.goose(dir);
            case DBMATE:
                return MarkerReader.dbmate(dir);
            case SQL_MIGRATE:
                return MarkerReader.sqlMigrate(dir);
            case FLYWAY:
                return FlywayReader.read(dir, placeholders);
            case LIQUIBASE:
                return LiquibaseReader.read(dir);
            default:
                throw new IllegalStateException(key);
        }
    }
}
