package dev.runway.core.pg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one quoting helper every module uses (the migrate engine, backfills, flags, the lab). */
class QuotingTest {
    @Test
    void identifiersAreDoubleQuotedWithEmbeddedQuotesDoubled() {
        assertThat(PgSession.ident("users")).isEqualTo("\"users\"");
        assertThat(PgSession.ident("Mixed Case")).isEqualTo("\"Mixed Case\"");
        assertThat(PgSession.ident("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(PgSession.ident("x\"; DROP TABLE t; --")).isEqualTo("\"x\"\"; DROP TABLE t; --\"");
    }

    @Test
    void literalsAreSingleQuotedWithEmbeddedQuotesDoubled() {
        assertThat(PgSession.literal("runway")).isEqualTo("'runway'");
        assertThat(PgSession.literal("it's")).isEqualTo("'it''s'");
        assertThat(PgSession.literal("back\\slash")).as("standard_conforming_strings: a backslash is plain").isEqualTo("'back\\slash'");
    }
}
