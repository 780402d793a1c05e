package dev.runway.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn runway:check}: {@code runway check} in a build (docs/check.md). Fails the build on error
 * findings (the CLI's exit 3) with each finding's rule id and message in the build output; with
 * {@code sarif} set it also writes the findings as SARIF for code scanning.
 */
@Mojo(name = "check", requiresProject = true, threadSafe = false)
public class CheckMojo extends RunwayMojo {
    /** Files to check (default: every migration in dir). */
    @Parameter
    List<File> files;
    /** runway (default) or plain. */
    @Parameter(property = "runway.mode")
    String mode;
    /** Target PostgreSQL major for version-gated rules and the lab. */
    @Parameter(property = "runway.pg")
    String pg;
    /** Static rules only: no scratch server. */
    @Parameter(property = "runway.static", defaultValue = "false")
    boolean staticOnly;
    /** Skip the up, down, up round trip. */
    @Parameter(property = "runway.noRoundTrip", defaultValue = "false")
    boolean noRoundTrip;
    /** Server for scratch databases, instead of starting a lab server. */
    @Parameter(property = "runway.scratchUrl")
    String scratchUrl;
    /** Read-only: this database's schema and table sizes; check its pending files. */
    @Parameter(property = "runway.against")
    String against;
    /** Also write the findings as SARIF 2.1.0 to this file. */
    @Parameter(property = "runway.sarif")
    File sarif;

    @Override
    String command() {
        return "check";
    }

    @Override
    List<String> extraArgs() {
        List<String> a = new ArrayList<>();
        option(a, "--mode", mode);
        option(a, "--pg", pg);
        option(a, "--scratch-url", scratchUrl);
        option(a, "--against", against);
        if (sarif != null) {
            option(a, "--sarif", sarif.getAbsolutePath());
        }
        if (staticOnly) {
            a.add("--static");
        }
        if (noRoundTrip) {
            a.add("--no-round-trip");
        }
        if (files != null) {
            for (File f : files) {
                Path p = f.toPath();
                a.add((p.isAbsolute() ? p : basedir.toPath().resolve(p)).toString());
            }
        }
        return a;
    }

    private static void option(List<String> a, String flag, String value) {
        if (value != null && !value.isBlank()) {
            a.add(flag);
            a.add(value);
        }
    }
}
