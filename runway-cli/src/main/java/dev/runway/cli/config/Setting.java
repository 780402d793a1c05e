package dev.runway.cli.config;

/**
 * Every setting Runway reads, declared once: its runway.toml key, its flag, its environment variable,
 * its default and its documentation. Parsing, {@code --help} texts and docs/configuration.md are all
 * driven from here. Precedence: flag &gt; environment &gt; runway.toml &gt; default.
 */
public enum Setting {
    URL("url", "--url", "DATABASE_URL", null,
            "Database URL: postgres://user:pass@host:port/db?sslmode=... (Fly's form) or jdbc:postgresql://..."),
    DIR("dir", "--dir", "RUNWAY_DIR", "migrations", "Schema migrations directory; data migrations are in <dir>/data."),
    DATA_DIR("data_dir", "--data-dir", "RUNWAY_DATA_DIR", null, "Data migrations directory (default <dir>/data)."),
    SCHEMA("schema", "--schema", "RUNWAY_SCHEMA", "public", "Schema of the history table."),
    TABLE("table", "--table", "RUNWAY_TABLE", "runway_schema_history", "Name of the history table."),
    LOCK_WAIT("lock_wait", "--lock-wait", "RUNWAY_LOCK_WAIT", "2m",
            "How long to wait for another release holding the migration lock before exiting 75."),
    LOCK_TIMEOUT("lock_timeout", "--lock-timeout", "RUNWAY_LOCK_TIMEOUT", "1s",
            "lock_timeout of each migration: the longest our lock request may stall other traffic."),
    CONCURRENT_LOCK_TIMEOUT("concurrent_lock_timeout", "--concurrent-lock-timeout", "RUNWAY_CONCURRENT_LOCK_TIMEOUT", "5m",
            "lock_timeout of CONCURRENTLY statements, which wait for older transactions by design."),
    STATEMENT_TIMEOUT("statement_timeout", "--statement-timeout", "RUNWAY_STATEMENT_TIMEOUT", "0s",
            "statement_timeout of schema migrations; 0s = none."),
    RETRIES("retries", "--retries", "RUNWAY_RETRIES", "10", "Tries per migration when it hits lock_timeout (SQLSTATE 55P03)."),
    ALLOW_OUT_OF_ORDER("allow_out_of_order", "--allow-out-of-order", "RUNWAY_ALLOW_OUT_OF_ORDER", "false",
            "Apply pending versions older than the newest applied one instead of refusing (exit 4)."),
    FORMAT("format", "--format", "RUNWAY_FORMAT", "text", "Output: text or json."),
    FLAGS_TABLE("flags_table", "--flags-table", "RUNWAY_FLAGS_TABLE", "runway_flags",
            "Table of the feature flags (runway flags), in --schema; also the channel instances hear changes on.");

    private final String key;
    private final String flag;
    private final String env;
    private final String defaultValue;
    private final String doc;

    Setting(String key, String flag, String env, String defaultValue, String doc) {
        this.key = key;
        this.flag = flag;
        this.env = env;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public String flag() {
        return flag;
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
