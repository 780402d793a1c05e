package dev.runway.lint;

import dev.runway.core.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code check} found. Immutable.
 *
 * @param findings  sorted by file, line, rule
 * @param checked   files checked, in order
 * @param traced    true when the dynamic trace ran
 * @param pgMajor   PostgreSQL major the rules targeted
 * @param took      wall time
 */
public record CheckResult(List<Finding> findings, List<String> checked, boolean traced, int pgMajor, Duration took) {
    public CheckResult {
        findings = List.copyOf(findings);
        checked = List.copyOf(checked);
    }

    /** This result restricted to findings in {@code files} (and those files as the checked list). */
    public CheckResult only(List<String> files) {
        Set<String> named = new HashSet<>(files); // a list's containsAll is quadratic: 1,000 files are 10^6 compares
        if (named.containsAll(checked)) {
            return this;
        }
        List<Finding> kept = new ArrayList<>();
        for (Finding f : findings) {
            if (named.contains(f.file())) {
                kept.add(f);
            }
        }
        return new CheckResult(kept, files, traced, pgMajor, took);
    }

    public long count(Severity s) {
        long n = 0;
        for (Finding f : findings) {
            if (f.severity() == s) {
                n++;
            }
        }
        return n;
    }

    /** 3 ({@link ErrorCode#CHECK_FAILED}) when any finding is an error, else 0. */
    public int exitCode() {
        return count(Severity.ERROR) > 0 ? ErrorCode.CHECK_FAILED.exitCode() : 0;
    }
}
