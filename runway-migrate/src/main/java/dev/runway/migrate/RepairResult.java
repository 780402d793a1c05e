package dev.runway.migrate;

import java.util.List;

/** What {@code runway repair} did (or, with dry run, would do): one sentence per affected version. */
public record RepairResult(List<String> actions, boolean dryRun) {
}
