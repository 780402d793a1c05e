package dev.runway.cli.config;

import dev.runway.cli.BuildInfo;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.Durations;
import dev.runway.core.RunwayException;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.dir.Placeholders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Resolves each {@link Setting} from flags, then the environment, then runway.toml, then its
 * default, and remembers where each value came from so errors name it ("--lock-wait",
 * "RUNWAY_LOCK_WAIT", "runway.toml:4 lock_wait"). Immutable once built.
 */
public final class Settings {
    /** The environment these settings were read from (for what reads further variables: BUCKET_NAME, RUNWAY_PG_DUMP). */
    private java.util.function.Function<String, String> env = new ProcessEnvironment();

    /** {@code System::getenv} as a class: a cold JVM pays for linking each method reference (check --static links none). */
    private static final class ProcessEnvironment implements java.util.function.Function<String, String> {
        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }

    public java.util.function.Function<String, String> env() {
        return env;
    }

    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private final Map<Setting, String> sources = new EnumMap<>(Setting.class);
    /** {@code ${name}} values: runway.toml's [placeholders] table, then RUNWAY_PLACEHOLDERS_<NAME> variables. */
    private final Map<String, String> placeholders = new java.util.TreeMap<>();
    /** Environment variable prefix of placeholder values (the rest of the name, lower-cased, is the placeholder). */
    public static final String PLACEHOLDER_ENV_PREFIX = "RUNWAY_PLACEHOLDERS_";

    private Settings() {
    }

    /**
     * @param flags values given on the command line (absent = not given)
     * @param env environment lookup
     * @param configFile runway.toml path; null = ./runway.toml if present
     * @param configExplicit true when the user named the file (then it must exist)
     */
    public static Settings resolve(Map<Setting, String> flags, Function<String, String> env, Path configFile, boolean configExplicit) {
        Settings s = new Settings();
        s.env = env;
        Path toml = configFile != null ? configFile : Path.of("runway.toml");
        if (Files.exists(toml)) {
            s.readToml(toml);
        } else if (configExplicit) {
            throw RunwayException.usage("--config: " + toml + " not found");
        }
        for (Setting k : Setting.values()) {
            String e = env.apply(k.env());
            if (e != null && !e.isEmpty()) {
                s.values.put(k, e);
                s.sources.put(k, k.env());
            }
            String f = flags.get(k);
            if (f != null) {
                s.values.put(k, f);
                s.sources.put(k, k.flag());
            }
            if (!s.values.containsKey(k) && k.defaultValue() != null) {
                s.values.put(k, k.defaultValue());
                s.sources.put(k, "default of " + (k.flag() != null ? k.flag() : k.env()));
            }
        }
        return s;
    }

    private void readToml(Path file) {
        TomlParseResult r;
        try {
            r = Toml.parse(file);
        } catch (IOException e) {
            throw RunwayException.usage(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (r.hasErrors()) {
            var err = r.errors().get(0);
            TomlPosition p = err.position();
            throw RunwayException.usage(file + ":" + (p == null ? "?" : p.line()) + ": " + err.getMessage().replaceAll(" \\(line.*$", ""));
        }
        for (Setting s : Setting.values()) {
            if (s.key().contains(".") && r.contains(s.key())) {
                TomlPosition p = r.inputPositionOf(s.key());
                Object v = r.get(s.key());
                String where = file + ":" + (p == null ? "?" : p.line());
                if (!(v instanceof String || v instanceof Long || v instanceof Boolean)) {
                    throw RunwayException.usage(where + ": " + s.key() + " must be a string, number or boolean");
                }
                values.put(s, String.valueOf(v));
                sources.put(s, where + " " + s.key());
            }
        }
        for (String key : r.keySet()) {
            if (key.equals("lint")) {
                continue; // the [lint] table belongs to check and the release gate (LintToml)
            }
            if (key.equals("placeholders")) {
                readPlaceholders(r, file);
                continue;
            }
            Setting s = Setting.byKey(key);
            TomlPosition p = r.inputPositionOf(key);
            String where = file + ":" + (p == null ? "?" : p.line());
            if (s == null) {
                throw RunwayException.usage(where + ": unknown key '" + key + "' (known: " + knownKeys() + ", [lint])");
            }
            Object v = r.get(key);
            if (!(v instanceof String || v instanceof Long || v instanceof Boolean)) {
                throw RunwayException.usage(where + ": " + key + " must be a string, number or boolean");
            }
            values.put(s, String.valueOf(v));
            sources.put(s, where + " " + key);
        }
    }

    private void readPlaceholders(TomlParseResult r, Path file) {
        TomlPosition at = r.inputPositionOf("placeholders");
        org.tomlj.TomlTable t = r.isTable("placeholders") ? r.getTable("placeholders") : null;
        if (t == null) {
            throw RunwayException.usage(file + ":" + (at == null ? "?" : at.line()) + ": placeholders must be a table:"
                    + " [placeholders] then name = \"value\" lines");
        }
        for (String name : t.keySet()) {
            Object v = t.get(name);
            if (!(v instanceof String || v instanceof Long || v instanceof Boolean)) {
                TomlPosition p = t.inputPositionOf(name);
                throw RunwayException.usage(file + ":" + (p == null ? "?" : p.line()) + ": placeholders." + name
                        + " must be a string, number or boolean");
            }
            placeholders.put(name, String.valueOf(v));
        }
    }

    /** Adds the {@code RUNWAY_PLACEHOLDERS_<NAME>} variables of {@code environment} (they win over runway.toml). */
    public Settings withPlaceholderVariables(Map<String, String> environment) {
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(PLACEHOLDER_ENV_PREFIX) && k.length() > PLACEHOLDER_ENV_PREFIX.length()) {
                placeholders.put(k.substring(PLACEHOLDER_ENV_PREFIX.length()).toLowerCase(java.util.Locale.ROOT), e.getValue());
            }
        }
        return this;
    }

    /**
     * The placeholder values and whether replacement is on, with Flyway's built-ins this configuration knows
     * ({@code flyway:defaultSchema}, {@code flyway:table}; {@code flyway:user}, {@code flyway:database} when a URL is set),
     * for commands that read files without connecting ({@code check}, {@code verify}).
     */
    public Placeholders placeholders() {
        Map<String, String> builtIns = new java.util.HashMap<>();
        builtIns.put("flyway:defaultSchema", get(Setting.SCHEMA));
        builtIns.put("flyway:table", get(Setting.TABLE));
        if (get(Setting.URL) != null) {
            DatabaseUrl u = url();
            if (u.user() != null) {
                builtIns.put("flyway:user", u.user());
            }
            if (u.database() != null) {
                builtIns.put("flyway:database", u.database());
            }
        }
        return new Placeholders(bool(Setting.PLACEHOLDER_REPLACEMENT), placeholders).with(builtIns);
    }

    private static String knownKeys() {
        StringBuilder b = new StringBuilder();
        for (Setting s : Setting.values()) {
            if (s.key().contains(".")) {
                continue; // in a table of its own, e.g. [lint]
            }
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(s.key());
        }
        return b.append(", [placeholders]").toString();
    }

    public String get(Setting s) {
        return values.get(s);
    }

    /** Where the value of {@code s} came from, for error messages. */
    public String source(Setting s) {
        return sources.getOrDefault(s, s.flag() != null ? s.flag() : s.env());
    }

    public Duration duration(Setting s) {
        return Durations.parse(get(s), source(s));
    }

    public int integer(Setting s) {
        try {
            return Integer.parseInt(get(s).trim());
        } catch (NumberFormatException e) {
            throw RunwayException.usage(source(s) + ": '" + get(s) + "' is not a whole number");
        }
    }

    /** A size such as {@code 10MB}, in bytes. */
    public long bytes(Setting s) {
        return dev.runway.core.ByteSizes.parse(get(s), source(s));
    }

    public boolean bool(Setting s) {
        String v = get(s).trim().toLowerCase();
        if (v.equals("true") || v.equals("1") || v.equals("yes")) {
            return true;
        }
        if (v.equals("false") || v.equals("0") || v.equals("no")) {
            return false;
        }
        throw RunwayException.usage(source(s) + ": '" + get(s) + "' is not true or false");
    }

    /** The database URL, or a USAGE error that says how to give one. */
    public DatabaseUrl url() {
        String u = get(Setting.URL);
        if (u == null) {
            throw RunwayException.usage("no database: set DATABASE_URL, pass --url, or set url in runway.toml"
                    + " (for a local one: eval \"$(" + BuildInfo.command() + " lab env)\")");
        }
        return DatabaseUrl.parse(u, source(Setting.URL));
    }

    /**
     * The URL migration commands connect to: {@code migrate_url} (RUNWAY_MIGRATE_URL) when given, else the
     * database URL. Applications keep DATABASE_URL on their pooler while releases go around it.
     */
    public DatabaseUrl migrationUrl() {
        String u = get(Setting.MIGRATE_URL);
        return u == null ? url() : DatabaseUrl.parse(u, source(Setting.MIGRATE_URL));
    }

    /** The engine configuration these settings describe. */
    public RunwayConfig.Builder engine() {
        RunwayConfig.Builder b = RunwayConfig.builder()
                .url(migrationUrl())
                .dir(Path.of(get(Setting.DIR)))
                .schema(get(Setting.SCHEMA))
                .table(get(Setting.TABLE))
                .lockWait(duration(Setting.LOCK_WAIT))
                .lockTimeout(duration(Setting.LOCK_TIMEOUT))
                .concurrentLockTimeout(duration(Setting.CONCURRENT_LOCK_TIMEOUT))
                .statementTimeout(duration(Setting.STATEMENT_TIMEOUT))
                .retries(integer(Setting.RETRIES))
                .allowOutOfOrder(bool(Setting.ALLOW_OUT_OF_ORDER))
                .placeholders(new Placeholders(bool(Setting.PLACEHOLDER_REPLACEMENT), placeholders));
        if (get(Setting.DATA_DIR) != null) {
            b.dataDir(Path.of(get(Setting.DATA_DIR)));
        }
        return b;
    }

    /** The {@link Setting#REPLICA_URLS}, parsed (errors name where the value came from); empty when unset. */
    public java.util.List<DatabaseUrl> replicaUrls() {
        java.util.List<DatabaseUrl> out = new java.util.ArrayList<>();
        String v = get(Setting.REPLICA_URLS);
        if (v != null) {
            for (String u : v.split(",")) {
                if (!u.isBlank()) {
                    out.add(DatabaseUrl.parse(u.strip(), source(Setting.REPLICA_URLS)));
                }
            }
        }
        return out;
    }

    /**
     * The class loader for Java backfill classes: the {@link Setting#CLASSPATH} entries (jars and class
     * directories; {@code dir/*} = the jars in dir) over Runway's own classes, or Runway's loader when unset.
     *
     * @throws RunwayException USAGE naming the entry and where it came from when it does not exist
     */
    public ClassLoader classLoader() {
        ClassLoader parent = Settings.class.getClassLoader();
        String cp = get(Setting.CLASSPATH);
        if (cp == null || cp.isBlank()) {
            return parent;
        }
        java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry.endsWith("/*") ? entry.substring(0, entry.length() - 2) : entry);
            if (!Files.exists(p)) {
                throw RunwayException.usage(source(Setting.CLASSPATH) + ": '" + entry + "' does not exist (give jars or class directories,"
                        + " separated by '" + java.io.File.pathSeparator + "')");
            }
            try {
                if (entry.endsWith("/*")) {
                    try (java.util.stream.Stream<Path> jars = Files.list(p)) {
                        for (Path j : (Iterable<Path>) jars.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
                            urls.add(j.toUri().toURL());
                        }
                    }
                } else {
                    urls.add(p.toUri().toURL());
                }
            } catch (IOException e) {
                throw RunwayException.usage(source(Setting.CLASSPATH) + ": cannot read '" + entry + "': " + e.getMessage());
            }
        }
        return new java.net.URLClassLoader("runway-classpath", urls.toArray(new java.net.URL[0]), parent);
    }

    /** "text" or "json". */
    public String format() {
        String f = get(Setting.FORMAT);
        if (!f.equals("text") && !f.equals("json")) {
            throw RunwayException.usage(source(Setting.FORMAT) + ": '" + f + "' is not text or json");
        }
        return f;
    }
}
