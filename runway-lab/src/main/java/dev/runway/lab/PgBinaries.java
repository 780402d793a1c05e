package dev.runway.lab;

import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.Zonky;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of PostgreSQL server binaries (a {@code bin} dir with {@code postgres} and {@code initdb}) and
 * the exact version they report.
 *
 * <p>{@link #resolve} looks, in order: {@code RUNWAY_PG_BIN}; for the requested major,
 * {@code pg_config --bindir} when its major matches, then {@code /usr/lib/postgresql/<major>/bin};
 * otherwise the zonky bundle of that major (from {@code ~/.m2/repository} or Maven Central, unpacked
 * once into {@code <cache>/pg/<version>}). Immutable; thread-safe.
 *
 * @param binDir  directory with {@code postgres} and {@code initdb}
 * @param version what {@code postgres --version} reports, e.g. {@code 15.18}
 */
public record PgBinaries(Path binDir, String version) {
    /** Majors the lab supports. */
    public static final List<String> MAJORS = List.of("13", "14", "15", "16", "17", "18");
    /** Used when no major is requested and no system PostgreSQL is installed. */
    public static final String FALLBACK_MAJOR = "17";
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?");

    /** The major version: {@code 15} for {@code 15.18}. */
    public String major() {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    public Path postgres() {
        return binDir.resolve("postgres");
    }

    public Path initdb() {
        return binDir.resolve("initdb");
    }

    /**
     * Finds binaries for {@code major} (null = the system default).
     *
     * @param env      environment lookup ({@code RUNWAY_PG_BIN}); injectable for tests
     * @param cacheDir where zonky bundles are unpacked
     * @throws RunwayException (USAGE) naming the version or what was searched
     */
    public static PgBinaries resolve(String major, Map<String, String> env, Path cacheDir) {
        if (major != null && !MAJORS.contains(major)) {
            throw RunwayException.usage("pgVersion '" + major + "' is not supported (use one of " + String.join(", ", MAJORS) + ")");
        }
        String override = env.get("RUNWAY_PG_BIN");
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override);
            if (!Files.isExecutable(dir.resolve("postgres")) || !Files.isExecutable(dir.resolve("initdb"))) {
                throw RunwayException.usage("RUNWAY_PG_BIN=" + override + " has no executable postgres and initdb "
                        + "(point it at a PostgreSQL bin dir, or unset it)");
            }
            PgBinaries b = of(dir);
            if (major != null && !b.major().equals(major)) {
                throw RunwayException.usage("RUNWAY_PG_BIN=" + override + " holds PostgreSQL " + b.version()
                        + " but version " + major + " was requested (unset RUNWAY_PG_BIN or ask for " + b.major() + ")");
            }
            return b;
        }
        List<String> searched = new ArrayList<>();
        Optional<Path> pgConfig = pgConfigBinDir();
        searched.add("pg_config --bindir" + pgConfig.map(p -> " (" + p + ")").orElse(" (none)"));
        if (major == null) {
            if (pgConfig.isPresent() && Files.isExecutable(pgConfig.get().resolve("postgres"))) {
                return of(pgConfig.get());
            }
            major = FALLBACK_MAJOR;
        }
        if (pgConfig.isPresent() && Files.isExecutable(pgConfig.get().resolve("postgres"))) {
            PgBinaries b = of(pgConfig.get());
            if (b.major().equals(major)) {
                return b;
            }
        }
        Path debian = Path.of("/usr/lib/postgresql", major, "bin");
        searched.add(debian.toString());
        if (Files.isExecutable(debian.resolve("postgres")) && Files.isExecutable(debian.resolve("initdb"))) {
            return of(debian);
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
        try {
            return of(Zonky.binDir(major, cacheDir, m2));
        } catch (RunwayException e) {
            throw RunwayException.usage("no PostgreSQL " + major + " binaries: searched " + String.join(", ", searched)
                    + " and the zonky bundle " + Zonky.LATEST.get(major) + " (" + e.getMessage() + ")");
        }
    }

    /** Reads the version of the binaries in {@code binDir}. */
    public static PgBinaries of(Path binDir) {
        String out = Os.check(List.of(binDir.resolve("postgres").toString(), "--version"), Duration.ofSeconds(30),
                binDir.resolve("postgres") + " --version");
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw RunwayException.usage(binDir.resolve("postgres") + " --version printed no version: " + out.strip());
        }
        return new PgBinaries(binDir, m.group(1) + (m.group(2) == null ? "" : m.group(2)));
    }

    private static Optional<Path> pgConfigBinDir() {
        try {
            Os.Result r = Os.run(List.of("pg_config", "--bindir"), Duration.ofSeconds(10));
            return r.exitCode() == 0 ? Optional.of(Path.of(r.output().strip())) : Optional.empty();
        } catch (RunwayException e) {
            return Optional.empty();
        }
    }
}
