package dev.runway.cli.flags;

import dev.runway.cli.SettingsCommand;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.cli.output.Output;
import dev.runway.core.flags.Flag;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code runway flags list}. */
@Command(name = "list", description = "Every flag: state, percentage, regions, last change.")
final class FlagsList extends SettingsCommand {
    FlagsList() {
        super(FlagsOptions.SETTINGS);
    }

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Override
    public Integer call() {
        return FlagsOptions.run(common, (table, c, out) -> {
            List<Flag> flags = table.list(c);
            if (out.json()) {
                ObjectNode doc = Output.mapper().createObjectNode();
                ArrayNode a = doc.putArray("flags");
                flags.forEach(f -> a.add(FlagsOptions.json(f)));
                return doc;
            }
            if (flags.isEmpty()) {
                out.line("No feature flags in " + table.displayName() + " ('runway flags set NAME on --create' adds one).");
                return null;
            }
            out.line("Feature flags in " + table.displayName());
            int w = 4;
            int sw = 5;
            for (Flag f : flags) {
                w = Math.max(w, f.name().length());
                sw = Math.max(sw, f.describe().length());
            }
            for (Flag f : flags) {
                String state = f.enabled() ? out.green(pad(f.describe(), sw)) : out.yellow(pad(f.describe(), sw));
                out.line("  " + pad(f.name(), w) + "  " + state + "  " + out.dim("changed " + AT.format(f.updatedAt()) + " UTC by "
                        + f.updatedBy()));
            }
            return null;
        });
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
