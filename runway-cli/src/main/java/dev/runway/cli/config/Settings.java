package dev.runway.cli.config;

import dev.runway.cli.BuildInfo;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.Durations;
import dev.runway.core.RunwayException;
import dev.runway.migrate.RunwayConfig;
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
    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private final Map<Setting, String> sources = new EnumMap<>(Setting.class);

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
                s.sources.put(k, "default of " + k.flag());
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
        for (String key : r.keySet()) {
            if (key.equals("lint")) {
                continue; // the [lint] table belongs to check and the release gate (CheckCommand.lintConfig)
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

    private static String knownKeys() {
        StringBuilder b = new StringBuilder();
        for (Setting s : Setting.values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(s.key());
        }
        return b.toString();
    }

    public String get(Setting s) {
        return values.get(s);
    }

    /** Where the value of {@code s} came from, for error messages. */
    public String source(Setting s) {
        return sources.getOrDefault(s, s.flag());
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

    /** The engine configuration these settings describe. */
    public RunwayConfig.Builder engine() {
        RunwayConfig.Builder b = RunwayConfig.builder()
                .url(url())
                .dir(Path.of(get(Setting.DIR)))
                .schema(get(Setting.SCHEMA))
                .table(get(Setting.TABLE))
                .lockWait(duration(Setting.LOCK_WAIT))
                .lockTimeout(duration(Setting.LOCK_TIMEOUT))
                .concurrentLockTimeout(duration(Setting.CONCURRENT_LOCK_TIMEOUT))
                .statementTimeout(duration(Setting.STATEMENT_TIMEOUT))
                .retries(integer(Setting.RETRIES))
                .allowOutOfOrder(bool(Setting.ALLOW_OUT_OF_ORDER));
        if (get(Setting.DATA_DIR) != null) {
            b.dataDir(Path.of(get(Setting.DATA_DIR)));
        }
        return b;
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
