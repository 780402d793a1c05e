/**
 * The invalidation messages Runway sends with PostgreSQL {@code NOTIFY}, shared by the data source's
 * invalidation bus (which receives them), its facade and the CLI (which send them): the payload
 * formats ({@link dev.runway.core.notify.Notice}) and the statements that send them
 * ({@link dev.runway.core.notify.NotifySql}). No connection pools, no threads: a sender needs only
 * a JDBC connection to the primary.
 */
package dev.runway.core.notify;
