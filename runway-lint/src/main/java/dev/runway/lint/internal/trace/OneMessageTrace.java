package dev.runway.lint.internal.trace;

import dev.runway.core.pg.SimpleProtocol;
import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.internal.trace.MigrationTrace.RoundTripProblem;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The common case of {@link Tracer}'s transactional trace, in one message ({@link SimpleProtocol}): the first probe,
 * each up statement followed by its probe, and (with the round trip and {@link Touched}'s triggers) the savepoint,
 * recording, down, up and what they touched ({@link RoundTrip#downUpText}); then the round trip's comparison and the
 * commit. The same outcome as statement by statement: the server runs nothing after a failing statement, and the
 * results before it tell which one failed (an up statement: the probes read so far; the round trip: it is retried
 * from its savepoint step by step, as {@link RoundTrip#inTransaction} does).
 *
 * <p>{@link Tracer} traces the migration step by step instead (one statement and its probe at a time, opaque ones
 * with a catalog read around them) when this returns null. With nothing sent: a statement of the up section, or of the
 * down and up of the round trip, is opaque ({@link Tracer#opaque}: DO, SELECT, CALL, ... may return rows of its own);
 * the up section has nothing but transaction control; the round trip is asked for without {@link Touched}'s triggers;
 * or the driver is not one {@link SimpleProtocol} can send through. With the transaction rolled back and nothing run:
 * the server cannot parse the text (a syntax error in the down section must not hide the up section's trace), or a
 * statement returned rows that look like a probe's. A failing round trip does not send the migration back to
 * {@link Tracer}: its trace stands, and only the round trip is run again from its savepoint step by step
 * ({@link RoundTrip#stepByStep}) to name the failing statement. Stateless.
 */
final class OneMessageTrace {
    private OneMessageTrace() {
    }

    /**
     * Traces transactional migration {@code m} on {@code c} (its session settings made) in one message, and with
     * {@code keep} commits it; null when it must be traced step by step (see the class comment).
     *
     * @param roundTrip run up, down, up and compare (when {@code m} has a down section)
     * @param helpers   what of {@link Touched} is on the scratch database
     */
    static MigrationTrace trace(Connection c, CheckedMigration m, boolean keep, boolean roundTrip, Touched.Level helpers)
            throws SQLException {
        StringBuilder sql = new StringBuilder(Tracer.probeFirst(helpers)).append(";\n");
        List<Integer> run = new ArrayList<>(); // indexes of the up statements in the message
        for (int i = 0; i < m.up().size(); i++) {
            SqlStatement s = m.up().get(i);
            if (Tracer.opaque(s)) {
                return null;
            }
            if (!s.transactionControl()) {
                sql.append(s.sql()).append("\n;\n").append(Tracer.probe(helpers)).append(";\n");
                run.add(i);
            }
        }
        boolean rt = roundTrip && m.down() != null;
        if (run.isEmpty() || rt && helpers != Touched.Level.TRIGGERS) {
            return null;
        }
        if (rt) {
            String downUp = RoundTrip.downUpText(m, true);
            if (downUp == null) {
                return null;
            }
            sql.append(downUp);
        }
        c.setAutoCommit(false);
        boolean commit = false;
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            List<Probe> probes = new ArrayList<>();
            RoundTrip.Snapshot[] now = {null};
            SQLException failed = null;
            try {
                if (!SimpleProtocol.executeEach(st, sql.toString(), r -> {
                    if (Probe.is(r)) {
                        probes.add(Probe.from(r));
                    } else if (rt && RoundTrip.isSnapshot(r)) {
                        now[0] = RoundTrip.Snapshot.of(r);
                    }
                })) {
                    return null;
                }
            } catch (SQLException e) {
                failed = e;
            }
            if (probes.isEmpty() || probes.size() > run.size() + 1) {
                return null; // nothing ran (or a statement returned probe-like rows): rolled back below, traced step by step
            }
            List<StatementTrace> traces = new ArrayList<>();
            Probe prev = probes.get(0);
            Set<Long> existing = new HashSet<>(prev.tables.keySet());
            String error = null;
            int errorLine = 0;
            for (int i = 0, k = 0; i < m.up().size(); i++) {
                SqlStatement s = m.up().get(i);
                if (error != null || k == run.size() || run.get(k) != i) {
                    traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                    continue;
                }
                k++;
                if (k == probes.size()) {
                    // The statement (or the probe after it) failed: as a statement that fails alone.
                    error = Tracer.oneLine(failed);
                    errorLine = s.line();
                    traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                    continue;
                }
                Probe after = probes.get(k).over(prev);
                traces.add(new StatementTrace(i, s.line(), true, Probe.effects(prev, after, existing), List.of()));
                prev = after;
            }
            List<RoundTripProblem> problems = new ArrayList<>();
            if (error == null && rt) {
                if (failed != null || now[0] == null) {
                    // The round trip failed inside the message (or returned no snapshot): back to its savepoint, step by step.
                    st.execute(RoundTrip.ROLLBACK);
                    RoundTrip.stepByStep(c, st, m, problems);
                } else if (RoundTrip.compare(c, st, m, problems, now[0], keep)) {
                    return new MigrationTrace(traces, null, 0, problems); // committed with the rollback to the savepoint
                }
            } else if (error == null && failed != null) {
                throw failed; // cannot happen: every statement's probe came back, nothing after them
            }
            commit = keep && error == null;
            return new MigrationTrace(traces, error, errorLine, problems);
        } finally {
            Tracer.end(c, commit);
        }
    }
}
