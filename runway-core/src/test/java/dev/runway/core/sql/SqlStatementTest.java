package dev.runway.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatementTest {

    private static SqlStatement one(String sql) {
        return SqlScanner.scan(sql, "t.sql").statements().get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CREATE TABLE IF NOT EXISTS a (id int)                     | CREATE TABLE",
        "create temp table a (id int)                              | CREATE TEMP TABLE",
        "CREATE INDEX i ON t (a)                                   | CREATE INDEX",
        "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)               | CREATE UNIQUE INDEX",
        "ALTER TABLE ONLY t ADD COLUMN a int                       | ALTER TABLE",
        "DROP INDEX IF EXISTS i                                    | DROP INDEX",
        "DO $$ BEGIN END $$                                        | DO",
        "SET search_path = a                                       | SET",
        "BEGIN                                                     | BEGIN",
        "insert into t values (1)                                  | INSERT",
        "VACUUM (ANALYZE) t                                        | VACUUM",
        "CREATE MATERIALIZED VIEW v AS SELECT 1                    | CREATE MATERIALIZED VIEW",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY v                  | REFRESH MATERIALIZED VIEW",
        "ALTER TYPE mood ADD VALUE 'meh'                           | ALTER TYPE",
        "CREATE OR REPLACE VIEW v AS SELECT 1                      | CREATE OR REPLACE VIEW",
        "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f() | CREATE EVENT TRIGGER",
        "CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f() | CREATE CONSTRAINT TRIGGER",
        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r      | ALTER DEFAULT PRIVILEGES",
        "CREATE TEXT SEARCH CONFIGURATION c (COPY = english)       | CREATE TEXT SEARCH CONFIGURATION",
        "CREATE FOREIGN DATA WRAPPER w                             | CREATE FOREIGN DATA WRAPPER",
        "DROP OWNED BY r                                           | DROP OWNED",
        "CREATE SOMETHING NEW                                      | CREATE SOMETHING",
        "COMMENT ON TABLE t IS 'x'                                 | COMMENT",
        "WITH x AS (SELECT 1) SELECT * FROM x                      | WITH",
        "(SELECT 1)                                                | ''",
        "GRANT SELECT ON t TO r                                    | GRANT",
    })
    void keyword(String sql, String keyword) {
        assertThat(one(sql).keyword()).isEqualTo(keyword);
    }

    /**
     * Checked against PostgreSQL 15.18 (each statement run after BEGIN; SQLSTATE 25001 means "cannot
     * run inside a transaction block"). The exceptions are deliberate: every SUBSCRIPTION command is
     * treated as non-transactional, although {@code WITH (connect = false)} variants are not.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "CREATE INDEX CONCURRENTLY i ON t (a)                   | CREATE INDEX CONCURRENTLY",
        "create unique index concurrently if not exists i on t (a) | CREATE UNIQUE INDEX CONCURRENTLY",
        "DROP INDEX CONCURRENTLY IF EXISTS i                    | DROP INDEX CONCURRENTLY",
        "REINDEX INDEX CONCURRENTLY i                           | REINDEX INDEX CONCURRENTLY",
        "REINDEX (VERBOSE, CONCURRENTLY) TABLE t                | REINDEX TABLE CONCURRENTLY",
        "REINDEX (CONCURRENTLY false) TABLE t                   | -",
        "REINDEX DATABASE app                                   | REINDEX DATABASE",
        "REINDEX SYSTEM                                         | REINDEX SYSTEM",
        "REINDEX SCHEMA public                                  | REINDEX SCHEMA",
        "REINDEX TABLE t                                        | -",
        "REINDEX INDEX i                                        | -",
        "VACUUM                                                 | VACUUM",
        "VACUUM (FULL, ANALYZE) t                               | VACUUM",
        "vacuum analyze t                                       | VACUUM",
        "CLUSTER                                                | CLUSTER without a table name",
        "CLUSTER VERBOSE                                        | CLUSTER without a table name",
        "CLUSTER (VERBOSE)                                      | CLUSTER without a table name",
        "CLUSTER t USING i                                      | -",
        "CLUSTER VERBOSE t                                      | -",
        "ALTER SYSTEM SET work_mem = '64MB'                     | ALTER SYSTEM",
        "CREATE DATABASE x                                      | CREATE DATABASE",
        "DROP DATABASE IF EXISTS x                              | DROP DATABASE",
        "ALTER DATABASE x SET TABLESPACE t                      | ALTER DATABASE SET TABLESPACE",
        "ALTER DATABASE x SET work_mem = '1MB'                  | -",
        "CREATE TABLESPACE t LOCATION '/x'                      | CREATE TABLESPACE",
        "DROP TABLESPACE t                                      | DROP TABLESPACE",
        "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY         | ALTER TABLE DETACH PARTITION CONCURRENTLY",
        "ALTER TABLE p DETACH PARTITION p1                      | -",
        "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p | CREATE SUBSCRIPTION",
        "ALTER SUBSCRIPTION s REFRESH PUBLICATION               | ALTER SUBSCRIPTION",
        "DROP SUBSCRIPTION s                                    | DROP SUBSCRIPTION",
        "DISCARD ALL                                            | DISCARD ALL",
        "DISCARD PLANS                                          | -",
        "CALL p()                                               | -",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY v               | -",
        "ALTER TYPE mood ADD VALUE 'meh'                        | -",
        "CREATE INDEX i ON t (a)                                | -",
        "ALTER TABLE t ADD COLUMN a int                         | -",
        "DO $$ BEGIN EXECUTE 'VACUUM'; END $$                   | -",
        "SELECT 'VACUUM'                                        | -",
    })
    void nonTransactional(String sql, String reason) {
        SqlStatement s = one(sql);
        assertThat(s.nonTransactionalReason()).isEqualTo(reason);
        assertThat(s.nonTransactional()).isEqualTo(reason != null);
    }

    @Test
    void refreshConcurrentlyIsConcurrentButTransactional() {
        SqlStatement s = one("REFRESH MATERIALIZED VIEW CONCURRENTLY v");
        assertThat(s.concurrently()).isTrue();
        assertThat(s.nonTransactional()).isFalse();
    }
}
