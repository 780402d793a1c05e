package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.source.CheckInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --mode plain FILE...} on the files of a pull request: the schema comes from the directory's
 * earlier migrations, as in Runway mode, so a safe file is clean and an unsafe one gets its finding, not
 * RW400 "relation does not exist".
 */
class PlainHistoryIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path dir;

    private CheckResult check(Path named) {
        CheckInputs in = CheckInputs.select(Mode.PLAIN, dir, List.of(named));
        return Check.run(in.earlier(), in.checked(), LintConfig.builder().mode(Mode.PLAIN).build(),
                new CheckOptions(true, false, LAB.lab().primary().url("postgres"), null, null, false));
    }

    @Test
    void plainSqlFilesInNameOrder() throws Exception {
        Files.writeString(dir.resolve("001-create-orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n"
                + "INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 10) g;\n");
        Path view = Files.writeString(dir.resolve("002-view.sql"), "CREATE VIEW open_orders AS SELECT id FROM orders WHERE status = 'new';\n"
                + "COMMENT ON TABLE orders IS 'customer orders';\n");
        Path index = Files.writeString(dir.resolve("003-index.sql"), "SET lock_timeout = '2s';\nCREATE INDEX orders_status_idx ON orders (status);\n");
        assertThat(check(view).findings()).as("a new view and a COMMENT on a table an earlier file created").isEmpty();
        assertThat(check(index).findings()).extracting(Finding::rule, Finding::line).containsExactly(tuple("RW101", 2));
    }

    @Test
    void anotherRunnersLayoutReplaysOnlyTheUpSections() throws Exception {
        Files.writeString(dir.resolve("1_orders.up.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n");
        Files.writeString(dir.resolve("1_orders.down.sql"), "DROP TABLE orders;\n");
        Path view = Files.writeString(dir.resolve("2_view.up.sql"), "CREATE VIEW open_orders AS SELECT id FROM orders;\n");
        Files.writeString(dir.resolve("2_view.down.sql"), "DROP VIEW open_orders;\n");
        assertThat(check(view).findings()).isEmpty();
    }
}
