package dev.runway.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn runway:hash}: runway hash: rewrite runway.sum after adding or editing migration files. */
@Mojo(name = "hash", requiresProject = true, threadSafe = false)
public class HashMojo extends RunwayMojo {
    @Override
    String command() {
        return "hash";
    }
}
