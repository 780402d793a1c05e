package dev.runway.migrate.dir;

/** How a migration section (up or down) runs. */
public enum TransactionMode {
    /**
     * All statements in one transaction: all or nothing. Runway's own transaction, or the file's when its
     * body is exactly one {@code BEGIN ... COMMIT} block ({@link Migration#upUnits()} then holds that block).
     */
    TRANSACTIONAL,
    /** Statement by statement in autocommit, progress recorded after each (needed for CONCURRENTLY, VACUUM, ...). */
    NONE,
    /**
     * The file manages its own transactions (several {@code BEGIN ... COMMIT} blocks, {@code COMMIT; ... BEGIN;}
     * escapes, statements between blocks): it runs as written, unit by unit ({@link Unit}), progress recorded
     * after each unit.
     */
    EXPLICIT
}
