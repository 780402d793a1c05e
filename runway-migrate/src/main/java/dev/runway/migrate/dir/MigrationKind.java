package dev.runway.migrate.dir;

/** Schema migrations ({@code migrations/}) or data migrations ({@code migrations/data/}), tracked separately. */
public enum MigrationKind {
    SCHEMA,
    DATA
}
