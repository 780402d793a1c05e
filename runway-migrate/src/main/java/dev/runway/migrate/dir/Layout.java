package dev.runway.migrate.dir;

/**
 * The runners whose migration files Runway reads as they are (docs/adoption.md, "Layouts"). A directory
 * holds one of them; Runway's own format may be added to any of them (that is how a team goes on after
 * adopting), and two other layouts in one directory are refused.
 */
public enum Layout {
    /** {@code <version>_<name>.sql} with {@code -- runway:up} / {@code -- runway:down}. */
    RUNWAY("Runway"),
    /** {@code <version>_<name>.up.sql} + {@code .down.sql}. */
    GOLANG_MIGRATE("golang-migrate"),
    /** {@code <version>_<name>/up.sql} + {@code down.sql} (+ {@code metadata.toml}); versions may have dashes. */
    DIESEL("Diesel"),
    /** One file, {@code -- +goose Up} / {@code -- +goose Down}. */
    GOOSE("goose"),
    /** One file, {@code -- migrate:up} / {@code -- migrate:down}. */
    DBMATE("dbmate"),
    /** One file, {@code -- +migrate Up} / {@code -- +migrate Down}. */
    SQL_MIGRATE("sql-migrate"),
    /** {@code V<version>__<name>.sql}, {@code U...}, {@code R__<name>.sql}, in subfolders too. */
    FLYWAY("Flyway"),
    /** {@code --liquibase formatted sql} changelogs, one migration per {@code --changeset}. */
    LIQUIBASE("Liquibase formatted SQL");

    private final String label;

    Layout(String label) {
        this.label = label;
    }

    /** The runner's name as people write it ("golang-migrate"). */
    public String label() {
        return label;
    }
}
