package dev.runway.core.flags;

import dev.runway.core.RunwayException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One feature flag as stored. On for a subject when {@code enabled}, this instance's region is in
 * {@code regions} (or {@code regions} is empty: every region), and the subject's
 * {@link Rollout#bucket bucket} is below {@code percent}. Immutable.
 *
 * @param name lower-case letters, digits, {@code _ . -}, starting with a letter, at most 63 characters
 * @param enabled the kill switch: false turns the flag off everywhere, keeping percent and regions
 * @param percent share of subjects it is on for, 0..100; checks without a subject need 100
 * @param regions regions where it can be on ({@code FLY_REGION} values), sorted; empty = all
 * @param updatedBy who changed it last (host, Fly machine and region when set)
 * @param updatedAt when it was changed last
 */
public record Flag(String name, boolean enabled, int percent, List<String> regions, String updatedBy, Instant updatedAt) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,62}");

    public Flag {
        checkName(name);
        regions = List.copyOf(regions);
    }

    /**
     * @throws RunwayException (USAGE) naming the flag and the rule when {@code name} is not a flag name
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RunwayException.usage("flag name '" + name + "' must be lower-case letters, digits, '_', '.' or '-',"
                    + " start with a letter and be at most 63 characters (e.g. new_checkout)");
        }
        return name;
    }

    /** On for every subject in the regions it targets. */
    public boolean fullyOn() {
        return enabled && percent >= 100;
    }

    /** {@code on}, {@code off}, or {@code on for 25%}, plus the regions when limited: for text output. */
    public String describe() {
        String state = !enabled ? "off" : percent >= 100 ? "on" : "on for " + percent + "%";
        return state + (regions.isEmpty() ? "" : " in " + String.join(",", regions));
    }
}
