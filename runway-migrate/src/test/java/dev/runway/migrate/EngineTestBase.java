package dev.runway.migrate;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Engine ITs: one shared lab primary, a fresh database and migrations directory per test. */
abstract class EngineTestBase {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;
    DatabaseUrl url;
    MigrationFiles files;

    @BeforeEach
    void freshDatabase() {
        // "m_" keeps these apart from the per-class database LabExtension names after the class
        url = TestDatabase.create(LAB.lab(), "m_" + getClass().getSimpleName().toLowerCase()).url();
        files = new MigrationFiles(tmp.resolve("migrations"));
    }

    Connection connect() {
        return LAB.lab().primary().connect(url.database());
    }
}
