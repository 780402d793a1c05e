package dev.runway.bench.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Normalising pg_dump output: one block per object, order and owners ignored, real differences kept. */
class SchemaDumpTest {
    private static final String A = "--\n-- PostgreSQL database dump\n--\n\\restrict abc\nSET statement_timeout = 0;\n"
            + "SELECT pg_catalog.set_config('search_path', '', false);\n\n"
            + "--\n-- Name: f(); Type: FUNCTION; Schema: public; Owner: -\n--\n\n"
            + "CREATE FUNCTION public.f() RETURNS int\n    LANGUAGE plpgsql\n    AS $$\nBEGIN\n\n  RETURN 1;\nEND $$;\n\n\n"
            + "SET default_tablespace = '';\n\n"
            + "--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (\n    id integer\n);\n";

    private static final String B = "--\n-- Name: t; Type: TABLE; Schema: public; Owner: postgres\n--\n\nCREATE TABLE public.t (\n    id integer\n);\n\n"
            + "--\n-- Name: f(); Type: FUNCTION; Schema: public; Owner: postgres\n--\n\n"
            + "CREATE FUNCTION public.f() RETURNS int\n    LANGUAGE plpgsql\n    AS $$\nBEGIN\n\n  RETURN 1;\nEND $$;\n\\unrestrict abc\n";

    @Test
    void sameObjectsInAnotherOrderWithOtherOwnersAreEqual() {
        SchemaDump a = SchemaDump.parse(A);
        assertThat(a.size()).isEqualTo(2);
        assertThat(a.diff(SchemaDump.parse(B)).same()).isTrue();
    }

    @Test
    void aChangedColumnIsADifferenceNamedByItsObject() {
        SchemaDump.Diff d = SchemaDump.parse(A).diff(SchemaDump.parse(B.replace("id integer", "id bigint")));
        assertThat(d.same()).isFalse();
        assertThat(d.summary(2, "psql's", "Runway's")).isEqualTo("only in psql's: TABLE public.t; only in Runway's: TABLE public.t");
    }
}
