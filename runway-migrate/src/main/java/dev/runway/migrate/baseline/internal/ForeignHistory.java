package dev.runway.migrate.baseline.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.migrate.baseline.BaselineSource;
import dev.runway.migrate.dir.Layout;
import dev.runway.migrate.dir.MigrationRef;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.dir.Placeholders;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads another runner's history table and maps what it applied to the migrations of the directory.
 * Refuses (INTEGRITY, naming the table and the row) what cannot be adopted as it is: a failed migration
 * (Flyway {@code success = false}, Liquibase {@code FAILED}), golang-migrate's {@code dirty} flag, and a row
 * whose migration has no file in the directory (except a Flyway Java migration, which has none by nature,
 * and Ecto, whose migrations are Elixir code). Reads only. Stateless.
 */
public final class ForeignHistory {
    /**
     * What the other runner applied, in Runway's versions.
     *
     * @param applied     versions applied (mapped to files)
     * @param ownBaseline the runner's own baseline (Flyway's BASELINE row), null without one
     * @param everythingUpToNewest true for runners that keep only the newest version (golang-migrate) or run code
     *                    Runway cannot see (Ecto): every file up to the newest counts as applied
     * @param repeatables Flyway repeatable migrations: description to the checksum Flyway recorded
     * @param rows        how many rows were read
     * @param notes       what the caller should tell
     */
    public record Applied(TreeSet<MigrationVersion> applied, MigrationVersion ownBaseline, boolean everythingUpToNewest,
                          Map<String, Integer> repeatables, int rows, List<String> notes) {
        /**
         * The baseline these rows give: the newest version applied (or the runner's own baseline if newer). Refuses
         * (INTEGRITY) when nothing was applied, and, unless every file up to the newest counts, a file the runner never
         * applied below one it did.
         *
         * @param where the table, for messages
         */
        public MigrationVersion baseline(BaselineSource from, String where, List<MigrationRef> refs) {
            MigrationVersion newest = applied.isEmpty() ? null : applied.last();
            if (ownBaseline != null && (newest == null || ownBaseline.compareTo(newest) > 0)) {
                newest = ownBaseline;
            }
            if (newest == null) {
                throw new RunwayException(ErrorCode.INTEGRITY, where + ": " + from.label() + " records nothing applied (" + rows
                        + " rows); run 'runway migrate' instead of baseline");
            }
            if (everythingUpToNewest) {
                return newest;
            }
            for (MigrationRef m : refs) {
                MigrationVersion v = m.version();
                if (v.isRepeatable() || v.compareTo(newest) > 0 || applied.contains(v) || ownBaseline != null && v.compareTo(ownBaseline) <= 0) {
                    continue;
                }
                throw new RunwayException(ErrorCode.INTEGRITY, m.displayName() + ": " + from.label() + " never applied it (no row"
                        + " in " + where + "), but it applied version " + newest + "; apply it with " + from.label()
                        + " first, then run baseline again (nothing was recorded)");
            }
            return newest;
        }

        /**
         * The repeatable migrations whose file is still what Flyway last ran (to record as applied); a note in
         * {@code notes} for each that changed since (it runs again).
         */
        public List<MigrationRef> unchangedRepeatables(List<MigrationRef> refs, Placeholders placeholders, List<String> notes) {
            List<MigrationRef> out = new ArrayList<>();
            for (MigrationRef m : refs) {
                Integer ran = m.version().isRepeatable() ? repeatables.get(m.description()) : null;
                if (ran == null) {
                    continue;
                }
                if (FlywayChecksum.matches(m.file(), ran, placeholders)) {
                    out.add(m);
                } else {
                    notes.add(m.displayName() + " changed since Flyway last ran it: the next migrate runs it again");
                }
            }
            return out;
        }
    }

    private ForeignHistory() {
    }

    /**
     * @param table the history table, {@code name} (in {@code schema}) or {@code schema.name}
     * @param refs  the directory's migrations
     */
    public static Applied read(Connection c, BaselineSource from, String schema, String table, List<MigrationRef> refs)
            throws SQLException {
        String qualified = table.contains(".") ? table : PgSession.ident(schema) + "." + PgSession.ident(table);
        String shown = table.contains(".") ? table : schema + "." + table;
        if (!PgSession.relationExists(c, qualified)) {
            throw RunwayException.usage("baseline --from " + from.label() + ": no table " + shown + " (" + from.label()
                    + " keeps its history in " + from.defaultTable() + "; name another with --from-table)");
        }
        Reader r = new Reader(c, from, qualified, shown, refs);
        try {
            return switch (from) {
                case FLYWAY -> r.flyway();
                case LIQUIBASE -> r.liquibase();
                case GOLANG_MIGRATE -> r.golangMigrate();
                case GOOSE -> r.goose();
                case SQL_MIGRATE -> r.sqlMigrate();
                default -> r.versions(); // dbmate, Diesel, Ecto: one row per applied version
            };
        } catch (SQLException e) {
            if ("42703".equals(e.getSQLState()) || "42P01".equals(e.getSQLState())) {
                throw RunwayException.usage("baseline --from " + from.label() + ": " + shown + " is not " + from.label()
                        + "'s history table (" + dev.runway.migrate.internal.SqlErrors.oneLine(e) + "); is --from right?");
            }
            throw e;
        }
    }

    /** Reads one table; knows the directory's migrations by version and by file name. */
    private static final class Reader {
        private final Connection c;
        private final BaselineSource from;
        private final String table;
        private final String shown;
        private final List<MigrationRef> refs;
        private final Map<MigrationVersion, MigrationRef> byVersion = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private int rows;

        Reader(Connection c, BaselineSource from, String table, String shown, List<MigrationRef> refs) {
            this.c = c;
            this.from = from;
            this.table = table;
            this.shown = shown;
            this.refs = refs;
            for (MigrationRef r : refs) {
                byVersion.put(r.version(), r);
            }
        }

        private List<String[]> query(String sql, int columns) throws SQLException {
            List<String[]> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
            }
            rows = out.size();
            return out;
        }

        private RunwayException refuse(String what) {
            return new RunwayException(ErrorCode.INTEGRITY, shown + ": " + what);
        }

        private MigrationVersion version(String text, String row) {
            try {
                return MigrationVersion.parse(text.strip());
            } catch (RunwayException e) {
                throw refuse(row + ": version '" + text + "' is not a number Runway can order");
            }
        }

        /** The version must have a file in the directory. */
        private MigrationVersion withFile(MigrationVersion v, String row) {
            if (!byVersion.containsKey(v)) {
                throw refuse(row + " has no file in the directory (was it deleted or renamed?); restore it, or adopt with"
                        + " 'runway baseline --version V' after checking the schema by hand");
            }
            return v;
        }

        Applied flyway() throws SQLException {
            TreeSet<MigrationVersion> applied = new TreeSet<>();
            MigrationVersion own = null;
            Map<String, Integer> repeatables = new LinkedHashMap<>();
            for (String[] r : query("SELECT installed_rank::text, version, description, type, script, checksum::text, success::text"
                    + " FROM " + table + " ORDER BY installed_rank", 7)) {
                String row = "installed_rank " + r[0] + " (" + (r[1] == null ? "" : "version " + r[1] + ", ") + r[4] + ")";
                String type = r[3] == null ? "" : r[3];
                if (!"true".equals(r[6]) && !"t".equals(r[6])) {
                    throw refuse(row + " failed (success = false); repair it with Flyway ('flyway repair') or by hand, then run"
                            + " baseline again");
                }
                if (type.equals("SCHEMA") || type.equals("DELETE") && r[1] == null) {
                    continue;
                }
                if (r[1] == null) {
                    repeatables.put(r[2].replace(' ', '_'), r[5] == null ? null : Integer.valueOf(r[5]));
                    continue;
                }
                MigrationVersion v = version(r[1], row);
                if (type.equals("BASELINE")) {
                    own = own == null || v.compareTo(own) > 0 ? v : own;
                } else if (type.startsWith("UNDO") || type.equals("DELETE")) {
                    applied.remove(v);
                } else if (byVersion.containsKey(v)) {
                    applied.add(v);
                } else if (type.contains("JDBC")) {
                    notes.add("version " + v + " is a Flyway Java migration (" + r[4] + "): it has no SQL file and counts as applied");
                    applied.add(v);
                } else {
                    withFile(v, row);
                }
            }
            return new Applied(applied, own, false, repeatables, rows, notes);
        }

        Applied liquibase() throws SQLException {
            TreeSet<MigrationVersion> applied = new TreeSet<>();
            for (String[] r : query("SELECT id, author, filename, exectype, orderexecuted::text FROM " + table
                    + " ORDER BY orderexecuted", 5)) {
                String name = r[1] + ":" + r[0];
                String row = "changeset " + name + " of " + r[2];
                if ("FAILED".equals(r[3])) {
                    throw refuse(row + " failed (exectype FAILED); fix it with Liquibase or by hand, then run baseline again");
                }
                if (!"EXECUTED".equals(r[3]) && !"RERAN".equals(r[3]) && !"MARK_RAN".equals(r[3])) {
                    continue;
                }
                MigrationRef match = null;
                int candidates = 0;
                for (MigrationRef m : refs) {
                    if (m.layout() == Layout.LIQUIBASE && m.description().equals(name)) {
                        candidates++;
                        String changelog = m.displayName().substring(0, m.displayName().length() - name.length() - 2);
                        if (match == null || samePath(r[2], changelog)) {
                            match = m;
                        }
                    }
                }
                if (match == null) {
                    throw refuse(row + " has no changeset in the directory (was it deleted or renamed?); restore it, or adopt with"
                            + " 'runway baseline --version V' after checking the schema by hand");
                }
                if (candidates > 1 && !samePath(r[2], match.displayName().substring(0, match.displayName().length() - name.length() - 2))) {
                    throw refuse(row + " matches " + candidates + " changesets of the directory and none of their files; rename"
                            + " one of them");
                }
                applied.add(match.version());
            }
            return new Applied(applied, null, false, Map.of(), rows, notes);
        }

        /** Liquibase records the changelog's path as it was given (classpath:db/changelog/x.sql, ./x.sql, ...). */
        private static boolean samePath(String recorded, String relative) {
            String r = recorded.replace('\\', '/');
            return r.equals(relative) || r.endsWith("/" + relative);
        }

        Applied golangMigrate() throws SQLException {
            List<String[]> rs = query("SELECT version::text, dirty::text FROM " + table, 2);
            if (rs.isEmpty()) {
                throw refuse("golang-migrate has applied nothing here (no row); run 'runway migrate' instead of baseline");
            }
            if (rs.size() > 1) {
                throw refuse(rs.size() + " rows; golang-migrate keeps exactly one (version, dirty): is --from right?");
            }
            String[] r = rs.get(0);
            if ("true".equals(r[1]) || "t".equals(r[1])) {
                throw refuse("golang-migrate left version " + r[0] + " dirty (it failed part-way and may be half applied); fix the"
                        + " database, then 'migrate force " + r[0] + "' (or the version before it), and run baseline again");
            }
            MigrationVersion v = withFile(version(r[0], "version " + r[0]), "version " + r[0]);
            TreeSet<MigrationVersion> applied = new TreeSet<>();
            applied.add(v);
            return new Applied(applied, null, true, Map.of(), rows, notes);
        }

        Applied goose() throws SQLException {
            Map<MigrationVersion, Boolean> latest = new LinkedHashMap<>();
            for (String[] r : query("SELECT version_id::text, is_applied::text FROM " + table + " ORDER BY id", 2)) {
                MigrationVersion v = version(r[0], "version_id " + r[0]);
                if (v.isZero()) {
                    continue; // goose's own first row
                }
                latest.put(v, "true".equals(r[1]) || "t".equals(r[1]));
            }
            TreeSet<MigrationVersion> applied = new TreeSet<>();
            latest.forEach((v, on) -> {
                if (on) {
                    applied.add(withFile(v, "version_id " + v));
                }
            });
            return new Applied(applied, null, false, Map.of(), rows, notes);
        }

        Applied sqlMigrate() throws SQLException {
            TreeSet<MigrationVersion> applied = new TreeSet<>();
            for (String[] r : query("SELECT id FROM " + table, 1)) {
                MigrationRef match = null;
                for (MigrationRef m : refs) {
                    String f = m.file().getFileName().toString();
                    if (f.equals(r[0])) {
                        match = m;
                    }
                }
                if (match == null) {
                    throw refuse("id " + r[0] + " has no file of that name in the directory (was it deleted or renamed?);"
                            + " restore it, or adopt with 'runway baseline --version V' after checking the schema by hand");
                }
                applied.add(match.version());
            }
            return new Applied(applied, null, false, Map.of(), rows, notes);
        }

        /** dbmate, Diesel and Ecto: a version per row. */
        Applied versions() throws SQLException {
            TreeSet<MigrationVersion> applied = new TreeSet<>();
            for (String[] r : query("SELECT version::text FROM " + table, 1)) {
                MigrationVersion v = version(r[0], "version " + r[0]);
                applied.add(from == BaselineSource.ECTO ? v : withFile(v, "version " + r[0]));
            }
            if (from == BaselineSource.ECTO && !applied.isEmpty()) {
                notes.add(applied.size() + " Ecto migrations (Elixir code, not files here) count as applied, up to version "
                        + applied.last());
            }
            return new Applied(applied, null, from == BaselineSource.ECTO, Map.of(), rows, notes);
        }
    }
}
