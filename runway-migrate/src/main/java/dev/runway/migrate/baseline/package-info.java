/**
 * Adopting a database another runner has migrated: {@link dev.runway.migrate.baseline.BaselineSource} names the
 * runners whose history table Runway reads; {@link dev.runway.migrate.Runway#baseline} maps its rows to the
 * files of the directory and records the baseline.
 */
package dev.runway.migrate.baseline;
