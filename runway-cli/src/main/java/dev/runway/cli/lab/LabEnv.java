package dev.runway.cli.lab;

import dev.runway.lab.Lab;
import dev.runway.lab.Node;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway lab env}: shell exports for {@code eval}. */
@Command(name = "env", description = {
        "Print export lines for eval: DATABASE_URL (the primary), RUNWAY_REPLICA_URL (the first replica),",
        "RUNWAY_REPLICA_URLS (every replica, for backfill max-lag),",
        "RUNWAY_<NODE>_URL for every node, and RUNWAY_PGBOUNCER_URL when the lab has a PgBouncer.",
        "On a --tls lab every URL carries sslmode=verify-full and sslrootcert=DIR/tls/ca.crt."})
final class LabEnv implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;
    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory (default ./.runway/lab or RUNWAY_LAB_DIR).")
    Path dir;
    @Option(names = "--database", paramLabel = "DB", description = "Database name in the URLs (default postgres).", defaultValue = "postgres")
    String database;

    @Override
    public Integer call() {
        Lab lab = Lab.open(LabCommand.dir(dir));
        System.out.println("export DATABASE_URL='" + lab.primary().url(database).toUnmaskedString() + "'");
        if (!lab.replicas().isEmpty()) {
            System.out.println("export RUNWAY_REPLICA_URL='" + lab.replicas().get(0).url(database).toUnmaskedString() + "'");
            java.util.List<String> all = new java.util.ArrayList<>();
            lab.replicas().forEach(r -> all.add(r.url(database).toUnmaskedString()));
            System.out.println("export RUNWAY_REPLICA_URLS='" + String.join(",", all) + "'");
        }
        for (Node n : lab.nodes()) {
            System.out.println("export RUNWAY_" + n.name().toUpperCase().replaceAll("[^A-Z0-9]", "_") + "_URL='"
                    + n.url(database).toUnmaskedString() + "'");
        }
        if (lab.config().pgbouncer() != null) {
            System.out.println("export RUNWAY_PGBOUNCER_URL='" + lab.pgbouncer().url(database).toUnmaskedString() + "'");
        }
        return 0;
    }
}
