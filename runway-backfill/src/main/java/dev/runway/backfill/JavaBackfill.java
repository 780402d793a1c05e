package dev.runway.backfill;

/**
 * A backfill whose per-batch work is Java code, for logic SQL cannot express (a hash or checksum
 * PostgreSQL lacks, reformatting JSON with a library, parsing a legacy format). Named by the directive:
 * <pre>
 * -- runway:backfill table=events key=id class=com.acme.backfill.PayloadChecksums batch=2000
 * -- runway:up
 * </pre>
 * (no SQL in the up section). The class is loaded by that name (no scanning) from the runner's class
 * loader: the CLI's {@code --classpath} / {@code RUNWAY_CLASSPATH}, or
 * {@link BackfillConfig.Builder#classLoader} in the Java API. It needs a public no-argument constructor;
 * one instance serves every batch of a run, on one thread.
 *
 * <p>Each batch, {@link #run} gets the batch's key range and the connection whose transaction will
 * also save the checkpoint: everything it writes through {@link BackfillBatch#connection()} commits
 * together with the checkpoint or not at all, so a kill -9 never repeats or skips a batch. It must not
 * commit, roll back, close the connection or change its auto-commit (refused as a failed batch). Calling
 * other services from here is out of scope: their side effects are not part of the transaction, so a
 * batch rolled back (lock timeout, a crash before COMMIT) would have called them anyway, and a resumed
 * run would call them again.
 */
@FunctionalInterface
public interface JavaBackfill {
    /**
     * Does one batch's work.
     *
     * @return rows changed (for progress and the summary)
     * @throws Exception any failure: the batch is rolled back and the backfill fails like a failing SQL
     *                   statement (earlier batches stay done; see {@code runway repair})
     */
    long run(BackfillBatch batch) throws Exception;
}
