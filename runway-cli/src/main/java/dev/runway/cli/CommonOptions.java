package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every database command takes; each maps to one {@link Setting}. */
public final class CommonOptions {
    @Option(names = "--url", paramLabel = "URL", description = "Database URL (env DATABASE_URL). postgres://user:pass@host:port/db?sslmode=...")
    String url;
    @Option(names = "--dir", paramLabel = "DIR", description = "Migrations directory (env RUNWAY_DIR, default migrations).")
    String dir;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data migrations directory (default <dir>/data).")
    String dataDir;
    @Option(names = "--schema", paramLabel = "NAME", description = "Schema of the history table (default public).")
    String schema;
    @Option(names = "--table", paramLabel = "NAME", description = "History table (default runway_schema_history).")
    String table;
    @Option(names = "--lock-wait", paramLabel = "DUR", description = "Wait this long for the migration lock, then exit 75 (default 2m).")
    String lockWait;
    @Option(names = "--lock-timeout", paramLabel = "DUR", description = "lock_timeout per migration (default 1s).")
    String lockTimeout;
    @Option(names = "--concurrent-lock-timeout", paramLabel = "DUR", description = "lock_timeout for CONCURRENTLY statements (default 5m).")
    String concurrentLockTimeout;
    @Option(names = "--statement-timeout", paramLabel = "DUR", description = "statement_timeout per migration (default 0s = none).")
    String statementTimeout;
    @Option(names = "--retries", paramLabel = "N", description = "Tries per migration on lock timeout (default 10).")
    String retries;
    @Option(names = "--allow-out-of-order", description = "Apply pending versions older than the newest applied one.")
    boolean allowOutOfOrder;
    @Option(names = "--format", paramLabel = "FMT", description = "text (default) or json; check also takes sarif and github.")
    String format;
    @Option(names = "--replica-urls", paramLabel = "URLS", description = "Replicas for backfill max-lag, comma-separated (env RUNWAY_REPLICA_URLS).")
    String replicaUrls;
    @Option(names = "--classpath", paramLabel = "PATH", description = "Jars/dirs with Java backfill classes, ':'-separated (env RUNWAY_CLASSPATH).")
    String classpath;
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default ./runway.toml if present).")
    Path config;

    /** Resolves flags > environment > runway.toml > defaults. */
    public Settings settings() {
        Map<Setting, String> f = new EnumMap<>(Setting.class);
        put(f, Setting.URL, url);
        put(f, Setting.DIR, dir);
        put(f, Setting.DATA_DIR, dataDir);
        put(f, Setting.SCHEMA, schema);
        put(f, Setting.TABLE, table);
        put(f, Setting.LOCK_WAIT, lockWait);
        put(f, Setting.LOCK_TIMEOUT, lockTimeout);
        put(f, Setting.CONCURRENT_LOCK_TIMEOUT, concurrentLockTimeout);
        put(f, Setting.STATEMENT_TIMEOUT, statementTimeout);
        put(f, Setting.RETRIES, retries);
        put(f, Setting.ALLOW_OUT_OF_ORDER, allowOutOfOrder ? "true" : null);
        put(f, Setting.FORMAT, format);
        put(f, Setting.REPLICA_URLS, replicaUrls);
        put(f, Setting.CLASSPATH, classpath);
        return Settings.resolve(f, Main.env(), config, config != null);
    }

    /** Output for these settings. */
    public Output output(Settings s) {
        return new Output(System.out, System.err, s.format().equals("json"), Output.colorWanted());
    }

    private static void put(Map<Setting, String> m, Setting k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
