package dev.runway.migrate.dir.internal;

import dev.runway.migrate.dir.Layout;

/**
 * Tells which runner a one-file migration was written for, from its section markers, without parsing
 * it: {@code -- runway:up}, {@code -- +goose Up} (any case, as goose reads it), {@code -- migrate:up}
 * (dbmate), {@code -- +migrate Up} (sql-migrate), {@code --liquibase formatted sql}. The first marker
 * decides; a file without any is a Runway file (whose parser then asks for {@code -- runway:up}).
 * Also finds where the down section starts: the up checksum covers the bytes before it, so a down
 * edited or added later never looks like a changed migration. This is a line scan over the bytes
 * (markers are ASCII and start their line); {@link MigrationParser} reads the markers again from the
 * scanner's comments, so text that only looks like a marker (inside a string or a block comment) never
 * splits a file, though it may end the bytes the up checksum covers. Stateless.
 */
public final class Dialects {
    /**
     * @param layout     {@link Layout#RUNWAY}, {@link Layout#GOOSE}, {@link Layout#DBMATE}, {@link Layout#SQL_MIGRATE} or
     *                   {@link Layout#LIQUIBASE}
     * @param downOffset byte offset of the start of the line of the first down marker, or -1 without one
     *                   (always -1 for Liquibase, whose rollback lines are spread over the changesets)
     */
    public record Detected(Layout layout, int downOffset) {
    }

    private Dialects() {
    }

    public static Detected detect(byte[] b) {
        Layout layout = null;
        int i = 0;
        while (i < b.length) {
            int start = i;
            int end = i;
            while (end < b.length && b[end] != '\n') {
                end++;
            }
            i = end + 1;
            int p = start;
            while (p < end && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            if (p + 1 >= end || b[p] != '-' || b[p + 1] != '-') {
                continue;
            }
            p += 2;
            Layout l = null;
            boolean down = false;
            int q = skipSpace(b, p, end);
            if (start == 0 && matchesLiquibaseHeader(b, q, end)) {
                return new Detected(Layout.LIQUIBASE, -1);
            }
            if (startsWith(b, q, end, "runway:up") || startsWith(b, q, end, "runway:down")) {
                l = Layout.RUNWAY;
                down = rest(b, q, end).strip().equals("runway:down");
            } else if (startsWith(b, q, end, "+goose")) {
                l = Layout.GOOSE;
                down = rest(b, q + "+goose".length(), end).strip().equalsIgnoreCase("down");
            } else if (startsWith(b, q, end, "migrate:up") || startsWith(b, q, end, "migrate:down")) {
                int after = q + (startsWith(b, q, end, "migrate:up") ? "migrate:up".length() : "migrate:down".length());
                if (after < end && b[after] != ' ' && b[after] != '\t') {
                    continue; // "-- migrate:upgrade" is a comment
                }
                l = Layout.DBMATE;
                down = startsWith(b, q, end, "migrate:down");
            } else if (startsWith(b, q, end, "+migrate ")) {
                l = Layout.SQL_MIGRATE;
                String cmd = rest(b, q + "+migrate ".length(), end).strip();
                down = cmd.equals("Down") || cmd.startsWith("Down ");
            }
            if (l == null || layout != null && l != layout) {
                continue;
            }
            layout = l;
            if (down) {
                return new Detected(layout, start);
            }
        }
        return new Detected(layout == null ? Layout.RUNWAY : layout, -1);
    }

    /** {@code liquibase formatted} after {@code --} and optional spaces, any case (Liquibase's first-line rule). */
    private static boolean matchesLiquibaseHeader(byte[] b, int q, int end) {
        String r = rest(b, q, end).toLowerCase(java.util.Locale.ROOT);
        if (!r.startsWith("liquibase")) {
            return false;
        }
        return r.substring("liquibase".length()).stripLeading().startsWith("formatted");
    }

    private static int skipSpace(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private static boolean startsWith(byte[] b, int p, int end, String s) {
        if (end - p < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[p + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static String rest(byte[] b, int p, int end) {
        return new String(b, p, Math.max(0, end - p), java.nio.charset.StandardCharsets.UTF_8);
    }
}
