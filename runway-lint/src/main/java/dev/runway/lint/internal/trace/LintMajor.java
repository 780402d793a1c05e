package dev.runway.lint.internal.trace;

/** Major version from a version string such as "15.18" or "15". */
final class LintMajor {
    private LintMajor() {
    }

    static int of(String version) {
        String v = version.trim();
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        return i == 0 ? 15 : Integer.parseInt(v.substring(0, i));
    }
}
