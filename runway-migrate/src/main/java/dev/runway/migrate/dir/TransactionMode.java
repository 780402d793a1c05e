package dev.runway.migrate.dir;

/** How a migration section runs. */
public enum TransactionMode {
    /** All statements in one transaction: all or nothing. */
    TRANSACTIONAL,
    /** Statement by statement in autocommit, progress recorded after each (needed for CONCURRENTLY, VACUUM, ...). */
    NONE
}
