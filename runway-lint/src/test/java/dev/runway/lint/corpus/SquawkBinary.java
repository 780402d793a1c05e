package dev.runway.lint.corpus;

import java.nio.file.Path;

/** Where the squawk binary is, for the benchmark (public wrapper of {@link Squawk#binary()}). */
public final class SquawkBinary {
    private SquawkBinary() {
    }

    /** The squawk executable, or null when it is not installed. */
    public static Path find() {
        return Squawk.binary();
    }
}
