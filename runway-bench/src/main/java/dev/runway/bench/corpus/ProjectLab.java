package dev.runway.bench.corpus;

import dev.runway.lab.Lab;
import dev.runway.lab.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the steps of one project run share: its lab server (one per project, reused for every
 * database), psql and pg_dump of that server's version, the project's setup SQL, the output directory
 * and the log. Not thread-safe; one run at a time.
 */
final class ProjectLab {
    final Lab lab;
    final Psql psql;
    final Path bin;
    final Path pdir;
    final Consumer<String> log;
    private final List<String> setup;

    ProjectLab(Lab lab, Path work, Path pdir, List<String> setup, Consumer<String> log) throws IOException {
        this.lab = lab;
        this.bin = lab.binaries().binDir();
        Node pg = lab.primary();
        this.psql = new Psql(bin.resolve("psql"), pg.host(), pg.port(), Files.createDirectories(work.resolve("psql")));
        this.pdir = pdir;
        this.setup = List.copyOf(setup);
        this.log = log;
    }

    /** Drops and creates {@code db}, then runs the project's setup in it. */
    void fresh(String db) throws Exception {
        lab.dropDatabase(db);
        lab.createDatabase(db);
        for (String sql : setup) {
            Psql.Result r = psql.exec(db, sql);
            if (!r.ok()) {
                throw new IllegalStateException("setup failed: " + r.error());
            }
        }
    }

    SchemaDump dump(String db, String file) throws Exception {
        return SchemaDump.of(bin.resolve("pg_dump"), lab.primary().host(), lab.primary().port(), db, pdir.resolve(file));
    }

    /** Equal schemas, or a failed step naming the first differing objects (the whole diff goes to {@code label.diff}). */
    Step compare(SchemaDump want, String wantName, SchemaDump got, String gotName, String label) throws IOException {
        SchemaDump.Diff d = want.diff(got);
        if (d.same()) {
            return Step.ok();
        }
        Files.writeString(pdir.resolve(label + ".diff"), d.full(wantName, gotName), StandardCharsets.UTF_8);
        return Step.failed("schema differs: " + d.summary(2, wantName, gotName) + " (" + label + ".diff)");
    }

    /** The roles of the cluster: a history's roles are cluster-wide, so runs drop the ones they added. */
    Set<String> roles() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = lab.primary().connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    void dropRolesNotIn(Set<String> before) throws SQLException {
        for (String r : roles()) {
            if (!before.contains(r)) {
                try (Connection c = lab.primary().connect("postgres"); Statement st = c.createStatement()) {
                    st.execute("DROP ROLE IF EXISTS \"" + r.replace("\"", "\"\"") + "\"");
                }
            }
        }
    }
}
