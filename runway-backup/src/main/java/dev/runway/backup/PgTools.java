package dev.runway.backup;

import java.util.function.Function;

/**
 * The client programs a backup and a restore run: {@code pg_dump} and {@code pg_restore} from the
 * PATH unless {@code RUNWAY_PG_DUMP} / {@code RUNWAY_PG_RESTORE} name others. They must be at least
 * the server's major version (an older pg_dump refuses a newer server; an older pg_restore cannot
 * read a newer archive): see https://www.postgresql.org/docs/current/app-pgdump.html
 *
 * @param pgDump    the pg_dump command
 * @param pgRestore the pg_restore command
 */
public record PgTools(String pgDump, String pgRestore) {
    /** From {@code RUNWAY_PG_DUMP} and {@code RUNWAY_PG_RESTORE}, else the PATH. */
    public static PgTools fromEnvironment(Function<String, String> env) {
        String d = env.apply("RUNWAY_PG_DUMP");
        String r = env.apply("RUNWAY_PG_RESTORE");
        return new PgTools(d == null || d.isBlank() ? "pg_dump" : d, r == null || r.isBlank() ? "pg_restore" : r);
    }
}
