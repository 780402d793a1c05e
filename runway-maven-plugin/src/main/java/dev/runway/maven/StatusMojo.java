package dev.runway.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn runway:status}: runway status: every migration, applied, pending, failed or changed. */
@Mojo(name = "status", requiresProject = true, threadSafe = false)
public class StatusMojo extends RunwayMojo {
    @Override
    String command() {
        return "status";
    }
}
