package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.DirectoryIndex;
import dev.runway.migrate.dir.MigrationRef;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runway new NAME}: a new migration file with the next timestamp version; updates runway.sum. */
@Command(name = "new", description = {
        "Create migrations/<yyyyMMddHHmmss>_<name>.sql (UTC; one past the newest version if that is later)",
        "with up and down markers, and rewrite runway.sum."})
final class NewCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.DIR, Setting.DATA_DIR, Setting.FORMAT);

    NewCommand() {
        super(SETTINGS);
    }
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    @Parameters(paramLabel = "NAME", description = "What the migration does, e.g. add_orders_status.")
    String name;
    @Option(names = "--data", description = "A data migration (in the data directory).")
    boolean data;

    @Override
    public Integer call() throws IOException {
        Settings s = common.settings();
        Output out = common.output(s);
        String slug = name.trim().toLowerCase().replaceAll("[\\s-]+", "_");
        if (!slug.matches("[a-z0-9_]{1,100}")) {
            throw RunwayException.usage("NAME: '" + name + "' must be letters, digits, _ (spaces and - become _), at most 100");
        }
        Path dir = data ? dataDir(s) : Path.of(s.get(Setting.DIR));
        Files.createDirectories(dir);
        BigInteger version = new BigInteger(ZonedDateTime.now(ZoneOffset.UTC).format(TS));
        // names and versions only (no file is parsed: a Flyway placeholder needs no value to add a migration)
        List<MigrationRef> existing = DirectoryIndex.read(dir, data ? MigrationKind.DATA : MigrationKind.SCHEMA).refs();
        MigrationVersion newest = null;
        for (MigrationRef r : existing) {
            if (!r.version().isRepeatable()) {
                newest = r.version();
            }
        }
        if (newest != null) {
            List<BigInteger> parts = newest.parts();
            if (parts.size() == 1 && parts.get(0).compareTo(version) >= 0) {
                version = parts.get(0).add(BigInteger.ONE);
            }
        }
        Path file = dir.resolve(version + "_" + slug + ".sql");
        String body = data
                ? "-- runway:up\n-- A data migration: keep each statement short; for big tables use a backfill.\n\n\n-- runway:down\n\n"
                : "-- runway:up\n\n\n-- runway:down\n\n";
        Files.writeString(file, body, StandardCharsets.UTF_8);
        SumFile.write(dir);
        if (out.json()) {
            out.printJson(Output.mapper().createObjectNode().put("file", file.toString()).put("version", version.toString()), 0);
        } else {
            out.line("Created " + file + " (runway.sum updated)");
        }
        return 0;
    }

    static Path dataDir(Settings s) {
        return s.get(Setting.DATA_DIR) != null ? Path.of(s.get(Setting.DATA_DIR)) : Path.of(s.get(Setting.DIR)).resolve("data");
    }
}
