package dev.runway.cli.config;

/**
 * Every setting Runway reads, declared once: its runway.toml key, its flag, its environment variable,
 * its default, the placeholder of its value in {@code --help} and its documentation. Both command-line
 * parsers read their flags from here (picocli's options are built from it by {@code RootCommand}, the
 * start-up fast path by {@code FastPath}; FastPathParityTest holds them to the same results), so do the
 * {@code --help} texts ({@link #help()}), runway.toml and the environment ({@link Settings});
 * docs/configuration.md is written by hand and checked against it (SettingsTest). Precedence: flag &gt; environment &gt; runway.toml &gt; default. A dotted key
 * ({@code lint.gate.small-table}) lives in a table of runway.toml ({@code [lint]} {@code gate.small-table = ...}).
 */
public enum Setting {
    URL("url", "--url", "DATABASE_URL", null, "URL",
            "Database URL: postgres://user:pass@host:port/db?sslmode=... (Fly's form) or jdbc:postgresql://..."),
    MIGRATE_URL("migrate_url", "--migrate-url", "RUNWAY_MIGRATE_URL", null, "URL",
            "URL the migration commands use instead of the database URL: a direct (or session-pooled) address when"
                    + " DATABASE_URL goes through a transaction pooler (e.g. Fly Managed Postgres's direct URL)."),
    DIR("dir", "--dir", "RUNWAY_DIR", "migrations", "DIR", "Schema migrations directory; data migrations are in <dir>/data."),
    DATA_DIR("data_dir", "--data-dir", "RUNWAY_DATA_DIR", null, "DIR", "Data migrations directory (default <dir>/data)."),
    SCHEMA("schema", "--schema", "RUNWAY_SCHEMA", "public", "NAME", "Schema of the history table (and of the flags table of runway flags)."),
    TABLE("table", "--table", "RUNWAY_TABLE", "runway_schema_history", "NAME", "Name of the history table."),
    LOCK_WAIT("lock_wait", "--lock-wait", "RUNWAY_LOCK_WAIT", "2m", "DUR",
            "How long to wait for another release holding the migration lock before exiting 75."),
    LOCK_TIMEOUT("lock_timeout", "--lock-timeout", "RUNWAY_LOCK_TIMEOUT", "1s", "DUR",
            "lock_timeout of each migration: the longest our lock request may stall other traffic."),
    CONCURRENT_LOCK_TIMEOUT("concurrent_lock_timeout", "--concurrent-lock-timeout", "RUNWAY_CONCURRENT_LOCK_TIMEOUT", "5m", "DUR",
            "lock_timeout of CONCURRENTLY statements, which wait for older transactions by design."),
    STATEMENT_TIMEOUT("statement_timeout", "--statement-timeout", "RUNWAY_STATEMENT_TIMEOUT", "0s", "DUR",
            "statement_timeout of schema migrations; 0s = none."),
    RETRIES("retries", "--retries", "RUNWAY_RETRIES", "10", "N", "Tries per migration when it hits lock_timeout (SQLSTATE 55P03)."),
    ALLOW_OUT_OF_ORDER("allow_out_of_order", "--allow-out-of-order", "RUNWAY_ALLOW_OUT_OF_ORDER", "false", null,
            "Apply pending versions older than the newest applied one instead of refusing (exit 4)."),
    PLACEHOLDER_REPLACEMENT("placeholder_replacement", "--placeholder-replacement", "RUNWAY_PLACEHOLDER_REPLACEMENT", "true", "BOOL",
            "Replace ${name} placeholders in Flyway and Liquibase files ([placeholders] table, RUNWAY_PLACEHOLDERS_<NAME>); false runs them as written."),
    FORMAT("format", "--format", "RUNWAY_FORMAT", "text", "FMT", "Output: text or json (check also: sarif, github)."),
    BACKUP("backup", "--backup", "RUNWAY_BACKUP", null, "DIR|s3://BUCKET/PREFIX/|s3",
            "release: back up before migrating (when something is pending) into a directory, s3://BUCKET/PREFIX/, or s3"
                    + " (= s3://$BUCKET_NAME/runway-backups/); the default location of backup list."),
    BACKUP_KEEP("backup_keep", "--keep", "RUNWAY_BACKUP_KEEP", "0", "N",
            "release --backup: keep only the newest N backups of the database at the location; 0 = keep all."),
    S3_ENDPOINT("s3_endpoint", "--s3-endpoint", "AWS_ENDPOINT_URL_S3", null, "URL",
            "S3 endpoint, e.g. https://fly.storage.tigris.dev; unset = AWS S3."),
    S3_REGION("s3_region", "--s3-region", "AWS_REGION", null, "NAME", "S3 signing region (auto for Tigris)."),
    S3_ACCESS_KEY_ID("s3_access_key_id", "--s3-access-key-id", "AWS_ACCESS_KEY_ID", null, "ID", "S3 access key id."),
    S3_SECRET_ACCESS_KEY("s3_secret_access_key", null, "AWS_SECRET_ACCESS_KEY", null, "SECRET",
            "S3 secret access key (no flag: command lines are visible to other users); never printed."),
    S3_PATH_STYLE("s3_path_style", "--s3-path-style", "RUNWAY_S3_PATH_STYLE", "auto", "auto|true|false",
            "Path-style S3 requests (host/bucket/key): auto = only for an IP address or localhost endpoint, true, false."),
    S3_PART_SIZE("s3_part_size", "--s3-part-size", "RUNWAY_S3_PART_SIZE", "8", "MIB",
            "MiB per multipart part (5 to 1024); with s3_uploads bounds a backup's memory; 10,000 parts at most per backup."),
    S3_UPLOADS("s3_uploads", "--s3-uploads", "RUNWAY_S3_UPLOADS", "2", "N", "Parts uploaded at the same time (1 to 16)."),
    GATE_SMALL_TABLE("lint.gate.small-table", "--gate-small-table", "RUNWAY_GATE_SMALL_TABLE", "10MB", "SIZE",
            "The release gate (and check --against): a lock or rewrite finding on an existing table smaller than this"
                    + " passes with an info line; 0 = every existing table counts."),
    STOP_GRACE("stop_grace", "--stop-grace", "RUNWAY_STOP_GRACE", "3s", "DUR",
            "After SIGINT/SIGTERM, how long a running statement may go on before it is cancelled (pg_cancel_backend);"
                    + " keep it below the platform's kill timeout (Fly: kill_timeout, 5s by default)."),
    REPLICA_URLS("replica_urls", "--replica-urls", "RUNWAY_REPLICA_URLS", null, "URLS",
            "Comma-separated replica URLs whose replay position backfill max-lag waits for (needed without pg_monitor; sees cascaded replicas)."),
    CLASSPATH("classpath", "--classpath", "RUNWAY_CLASSPATH", null, "PATH",
            "Jars and class directories (separated by ':'; dir/* = every jar in dir) holding Java backfill classes."),
    FLAGS_TABLE("flags_table", "--flags-table", "RUNWAY_FLAGS_TABLE", "runway_flags", "NAME",
            "Table of the feature flags (runway flags), in --schema; also the channel instances hear changes on.");

    private final String key;
    private final String flag;
    private final String env;
    private final String defaultValue;
    private final String paramLabel;
    private final String doc;

    /** @param paramLabel the placeholder of the value in {@code --help}; null for an on/off flag that takes none */
    Setting(String key, String flag, String env, String defaultValue, String paramLabel, String doc) {
        this.key = key;
        this.flag = flag;
        this.env = env;
        this.defaultValue = defaultValue;
        this.paramLabel = paramLabel;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    /** The command-line flag, or null for a setting that has none (a secret). */
    public String flag() {
        return flag;
    }

    /** Whether only release and backup take it (the other commands refuse its flag). */
    public boolean backupOnly() {
        return name().startsWith("S3_") || name().startsWith("BACKUP");
    }

    public String env() {
        return env;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The settings only release and backup read (where backups go and how to reach S3). */
    public static java.util.Set<Setting> backupSettings() {
        java.util.Set<Setting> all = java.util.EnumSet.noneOf(Setting.class);
        for (Setting s : values()) {
            if (s.backupOnly()) {
                all.add(s);
            }
        }
        return all;
    }

    /**
     * Every setting but {@code excluded}, the {@link #backupSettings() backup ones} (only release and backup read those)
     * and {@link #FLAGS_TABLE} (only {@code runway flags}).
     */
    public static java.util.Set<Setting> allBut(Setting... excluded) {
        java.util.Set<Setting> all = java.util.EnumSet.allOf(Setting.class);
        all.removeAll(java.util.List.of(excluded));
        all.removeAll(backupSettings());
        all.remove(FLAGS_TABLE); // runway flags only
        return all;
    }

    /** The placeholder of its value in {@code --help}: {@code DUR}, {@code DIR}, ...; null for an on/off flag that takes none. */
    public String paramLabel() {
        return paramLabel;
    }

    /** Whether its flag is an on/off switch that takes no value (given = true). */
    public boolean isSwitch() {
        return paramLabel == null;
    }

    /** Its {@code --help} line: the documentation, the variable and the default. */
    public String help() {
        return doc + " (env " + env + (defaultValue == null || paramLabel() == null ? "" : ", default " + defaultValue) + ")";
    }

    /** The setting whose runway.toml key is {@code key}, or null. */
    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
