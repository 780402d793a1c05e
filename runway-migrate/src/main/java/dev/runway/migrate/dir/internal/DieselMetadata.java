package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * A Diesel migration folder's {@code metadata.toml}: {@code run_in_transaction = false} runs both
 * directions outside a transaction, as Diesel does (diesel_migrations' {@code TomlMetadata}). Other keys
 * are ignored. Stateless.
 */
final class DieselMetadata {
    static final String FILE = "metadata.toml";

    private DieselMetadata() {
    }

    /** False when {@code folder/metadata.toml} says {@code run_in_transaction = false}; true without the file. */
    static boolean runInTransaction(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return true;
        }
        TomlParseResult r;
        try {
            r = Toml.parse(file);
        } catch (IOException e) {
            throw new RunwayException(dev.runway.core.ErrorCode.USAGE, file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (r.hasErrors()) {
            var err = r.errors().get(0);
            throw RunwayException.usage(file + ":" + (err.position() == null ? "1" : err.position().line()) + ": "
                    + err.getMessage().replaceAll(" \\(line.*$", ""));
        }
        Object v = r.get("run_in_transaction");
        if (v == null) {
            return true;
        }
        if (!(v instanceof Boolean)) {
            throw RunwayException.usage(file + ":" + r.inputPositionOf("run_in_transaction").line()
                    + ": run_in_transaction must be true or false");
        }
        return (Boolean) v;
    }
}
