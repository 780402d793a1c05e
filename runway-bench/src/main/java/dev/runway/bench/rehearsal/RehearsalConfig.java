package dev.runway.bench.rehearsal;

import dev.runway.core.DatabaseUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a rolling-deploy rehearsal runs on.
 *
 * @param exampleDir examples/fly-app (fly.toml, migrations, rehearsal/breaking)
 * @param appJar the app's executable jar (examples/fly-app/target/fly-app.jar)
 * @param runwayJar the CLI jar the release command runs (runway-cli/target/runway.jar)
 * @param primary an empty database on the primary
 * @param replica the same database on a replica (40 ms behind in the rehearsals documented)
 * @param phase how long each steady phase lasts
 * @param users simulated users, alternately in the primary and the far region
 * @param seedRows rows in the table before v2 (what the backfill walks)
 * @param workDir staged releases and the instances' logs
 * @param jvmOptions options of each instance's JVM
 */
public record RehearsalConfig(Path exampleDir, Path appJar, Path runwayJar, DatabaseUrl primary, DatabaseUrl replica, Duration phase,
                              int users, int seedRows, Path workDir, List<String> jvmOptions) {
    /** Small JVMs: several instances share the machine with PostgreSQL and the load. */
    public static final List<String> SMALL_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx192m", "-Xss512k");
}
