package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.dir.MigrationVersion;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway baseline}: adopt an existing database. */
@Command(name = "baseline", description = {
        "Adopt an existing database: record a baseline version so every migration up to it counts as applied.",
        "Without --version, takes the newest successful version from flyway_schema_history in the same schema."})
final class BaselineCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.SCHEMA, Setting.TABLE, Setting.LOCK_WAIT,
            Setting.FORMAT);

    BaselineCommand() {
        super(SETTINGS);
    }
    @Option(names = "--version", paramLabel = "V", description = "The version the database already has.")
    String version;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        MigrationVersion v = version == null ? null : VersionArg.parse(version, "--version");
        MigrationVersion done = Runway.create(s.engine().build()).baseline(v, MigrationListener.NONE);
        if (out.json()) {
            out.printJson(Output.mapper().createObjectNode().put("baseline", done.text()), 0);
        } else {
            out.line("Baselined at version " + done + ": migrations up to it count as applied.");
        }
        return 0;
    }
}
