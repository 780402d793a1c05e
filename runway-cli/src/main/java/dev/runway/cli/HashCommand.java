package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code runway hash}: rewrite runway.sum for the schema (and data) directory. */
@Command(name = "hash", description = {
        "Rewrite runway.sum from the migration files as they are now (after an intended edit or a merge).",
        "Every other command refuses to run when runway.sum does not match the files."})
final class HashCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.DIR, Setting.DATA_DIR, Setting.FORMAT, Setting.PLACEHOLDER_REPLACEMENT);

    HashCommand() {
        super(SETTINGS);
    }

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Path dir = Path.of(s.get(Setting.DIR));
        if (!Files.isDirectory(dir)) {
            throw RunwayException.usage(dir + ": directory not found (create it or pass --dir)");
        }
        SumFile.write(dir);
        Path data = NewCommand.dataDir(s);
        boolean withData = Files.isDirectory(data);
        if (withData) {
            SumFile.write(data);
        }
        if (out.json()) {
            out.printJson(Output.mapper().createObjectNode().put("written", dir.resolve(SumFile.NAME).toString())
                    .put("data", withData ? data.resolve(SumFile.NAME).toString() : null), 0);
        } else {
            out.line("Wrote " + dir.resolve(SumFile.NAME) + (withData ? " and " + data.resolve(SumFile.NAME) : ""));
        }
        return 0;
    }
}
