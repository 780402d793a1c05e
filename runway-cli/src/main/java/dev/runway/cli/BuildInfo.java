package dev.runway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this build of the CLI is ({@code runway --version}) and the name users type to run it, for
 * the hints Runway prints. The name is {@code runway} (the installed bundle's {@code bin/runway}, or
 * {@code java -jar runway.jar} in an image) unless a launcher says otherwise with
 * {@code -Drunway.command=...} (the checkout's {@code ./runway} script does). Stateless.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The command to print in hints: {@code runway}, or what the launcher set in {@code runway.command}. */
    public static String command() {
        String c = System.getProperty("runway.command");
        return c == null || c.isBlank() ? "runway" : c;
    }

    /** True when running from a source checkout through its {@code ./runway} script. */
    public static boolean fromCheckout() {
        return command().startsWith("./");
    }

    /** {@code runway 0.1.0 (commit abc1234)}; "unknown" when the build had no git metadata. */
    public static String versionLine() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": --version must not fail
        }
        String version = known(p.getProperty("version"));
        String commit = known(p.getProperty("commit"));
        return "runway " + version + " (commit " + commit + ")";
    }

    private static String known(String v) {
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }
}
