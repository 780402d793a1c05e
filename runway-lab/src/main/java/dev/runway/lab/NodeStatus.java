package dev.runway.lab;

import dev.runway.core.Lsn;

/**
 * One node as {@link Lab#status()} saw it. Immutable.
 *
 * @param name      {@code primary}, {@code replica1}, ...
 * @param role      {@code primary} or {@code replica}, as the server says (pg_is_in_recovery) when running
 * @param port      client port on 127.0.0.1
 * @param pid       postmaster PID, 0 when not running
 * @param running   whether the postmaster is alive
 * @param state     primary: {@code primary}; replica: the walsender state seen by the primary
 *                  ({@code streaming}, {@code catchup}, {@code startup}), {@code disconnected},
 *                  {@code starting} or {@code stopped}; a node out of recovery that is not the lab's
 *                  primary (the old primary after a promotion): {@code detached}
 * @param replayLsn last replayed WAL location (replica), current WAL location (primary); null when unknown
 * @param lagBytes  bytes the replica's replay is behind the primary's current location; null when unknown
 * @param lagMillis the primary's {@code pg_stat_replication.replay_lag} (a round trip, so about twice
 *                  the one-way delay); null when unknown or idle
 */
public record NodeStatus(String name, String role, int port, long pid, boolean running, String state, Lsn replayLsn,
                         Long lagBytes, Long lagMillis) {
}
