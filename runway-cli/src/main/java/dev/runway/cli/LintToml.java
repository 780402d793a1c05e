package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.core.RunwayException;
import dev.runway.lint.LintConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** The {@code [lint]} table of runway.toml, read for {@code check} and {@code release}'s gate (docs/check.md). */
final class LintToml {
    private LintToml() {
    }

    /** The {@code [lint]} table of runway.toml: mode, pg, disable = [...], [lint.severity] RWnnn = "warning". */
    static LintConfig lintConfig(Path toml) {
        if (!Files.exists(toml)) {
            return LintConfig.defaults();
        }
        TomlParseResult r;
        try {
            r = Toml.parse(toml);
        } catch (IOException e) {
            throw RunwayException.usage(toml + ": cannot read (" + e.getMessage() + ")");
        }
        TomlTable lint = r.getTable("lint");
        if (lint == null) {
            return LintConfig.defaults();
        }
        Map<String, String> entries = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        for (String key : lint.keySet()) {
            String at = toml + ":" + lint.inputPositionOf(key).line();
            Object v = lint.get(key);
            if (key.equals("gate")) {
                gateKeys(toml, v);
                continue; // gate.small-table is a setting (flag and environment too): Settings reads it
            }
            if (v instanceof TomlTable && key.equals("severity")) {
                TomlTable t = (TomlTable) v;
                for (String rule : t.keySet()) {
                    entries.put("severity." + rule, String.valueOf(t.get(rule)));
                    where.put("severity." + rule, toml + ":" + t.inputPositionOf(rule).line());
                }
            } else if (v instanceof TomlArray) {
                entries.put(key, String.join(",", ((TomlArray) v).toList().stream().map(String::valueOf).toList()));
                where.put(key, at);
            } else {
                entries.put(key, String.valueOf(v));
                where.put(key, at);
            }
        }
        return LintConfig.fromEntries(entries, where::get);
    }

    /** [lint] gate.* keys: only the known ones. */
    private static void gateKeys(Path toml, Object gate) {
        if (!(gate instanceof TomlTable)) {
            throw RunwayException.usage(toml + ": [lint] gate must be a table (gate.small-table = \"10MB\")");
        }
        TomlTable t = (TomlTable) gate;
        for (String k : t.keySet()) {
            if (!k.equals("small-table")) {
                throw RunwayException.usage(toml + ":" + t.inputPositionOf(k).line() + ": unknown [lint] key 'gate." + k
                        + "' (known: gate.small-table)");
            }
        }
    }

    /** The [lint] table with the gate's threshold from the settings (flag, environment, runway.toml). */
    static LintConfig lintConfig(CommonOptions common, Settings s) {
        return lintConfig(common.config != null ? common.config : Path.of("runway.toml"))
                .withSmallTable(s.bytes(Setting.GATE_SMALL_TABLE));
    }
}
