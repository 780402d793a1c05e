package dev.runway.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn runway:verify}: runway verify: runway.sum matches the files, every file parses, and with a database the applied checksums match (a CI check). */
@Mojo(name = "verify", requiresProject = true, threadSafe = false)
public class VerifyMojo extends RunwayMojo {
    @Override
    String command() {
        return "verify";
    }
}
