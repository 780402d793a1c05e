package dev.runway.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn runway:migrate}: {@code runway migrate}, applying pending schema migrations (development, CI). */
@Mojo(name = "migrate", requiresProject = true, threadSafe = false)
public class MigrateMojo extends RunwayMojo {
    /** Apply up to and including this version. */
    @Parameter(property = "runway.target")
    String target;
    /** Apply at most this many migrations. */
    @Parameter(property = "runway.step")
    Integer step;
    /** Show what would run; change nothing. */
    @Parameter(property = "runway.dryRun", defaultValue = "false")
    boolean dryRun;

    @Override
    String command() {
        return "migrate";
    }

    @Override
    List<String> extraArgs() {
        List<String> a = new ArrayList<>();
        if (target != null && !target.isBlank()) {
            a.add("--to");
            a.add(target);
        }
        if (step != null) {
            a.add("--step");
            a.add(step.toString());
        }
        if (dryRun) {
            a.add("--dry-run");
        }
        return a;
    }
}
