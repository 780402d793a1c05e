/**
 * The migration directory: file layouts (native {@code -- runway:up}/{@code -- runway:down} files,
 * paired {@code .up.sql}/{@code .down.sql}, folders, Flyway {@code V}/{@code U}), versions,
 * directives, the effective transaction mode of each section, checksums and {@code runway.sum}.
 * Pure logic: nothing here talks to a database. Entry points:
 * {@link dev.runway.migrate.dir.MigrationDirectory#load} and {@link dev.runway.migrate.dir.SumFile}.
 * The {@code internal} sub-package holds the implementation; other packages must not use it.
 */
package dev.runway.migrate.dir;
