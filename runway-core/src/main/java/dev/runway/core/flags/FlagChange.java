package dev.runway.core.flags;

import dev.runway.core.RunwayException;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What {@code runway flags set} changes: each part null when not given (kept as it is; a new flag
 * starts on, at 100 %, in every region). Immutable; the parsers validate strictly and name the flag
 * at fault.
 *
 * @param enabled {@code on}/{@code off}, or null
 * @param percent 0..100, or null
 * @param regions the regions (empty = all), or null
 */
public record FlagChange(Boolean enabled, Integer percent, List<String> regions) {
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    public FlagChange {
        regions = regions == null ? null : List.copyOf(regions);
        if (percent != null && (percent < 0 || percent > 100)) {
            throw RunwayException.usage("--percent: " + percent + " is outside 0-100");
        }
    }

    /** True when nothing would change. */
    public boolean isEmpty() {
        return enabled == null && percent == null && regions == null;
    }

    /** {@code on} or {@code off}. */
    public static Boolean parseState(String text) {
        if (text.equals("on")) {
            return true;
        }
        if (text.equals("off")) {
            return false;
        }
        throw RunwayException.usage("'" + text + "' is not a flag state: write on or off");
    }

    /** A whole number from 0 to 100 (an optional trailing {@code %} is accepted). */
    public static int parsePercent(String text) {
        String t = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        int p;
        try {
            p = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw RunwayException.usage("--percent: '" + text + "' is not a whole number from 0 to 100");
        }
        if (p < 0 || p > 100) {
            throw RunwayException.usage("--percent: " + p + " is outside 0-100 (the share of subjects the flag is on for)");
        }
        return p;
    }

    /**
     * {@code r1,r2,...} of region codes as {@code FLY_REGION} spells them (lower-case letters, digits,
     * {@code -}), or {@code all} for every region. Sorted, no duplicates.
     */
    public static List<String> parseRegions(String text) {
        if (text.equals("all")) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>();
        for (String r : text.split(",", -1)) {
            if (!REGION.matcher(r).matches()) {
                throw RunwayException.usage("--regions: '" + r + "' in '" + text + "' is not a region code: write lower-case codes"
                        + " separated by commas, as FLY_REGION spells them (e.g. ams,fra), or all");
            }
            if (!out.add(r)) {
                throw RunwayException.usage("--regions: '" + r + "' is listed twice in '" + text + "'");
            }
        }
        return List.copyOf(out);
    }

    /** {@code base} with this change applied; for a new flag {@code base} is null. */
    public Flag applyTo(String name, Flag base, String updatedBy) {
        boolean e = enabled != null ? enabled : base == null || base.enabled();
        int p = percent != null ? percent : base == null ? 100 : base.percent();
        List<String> r = regions != null ? regions : base == null ? List.of() : base.regions();
        return new Flag(name, e, p, r, updatedBy, null);
    }
}
