/**
 * Feature flags, shared by the CLI ({@code runway flags}) and the data source's
 * {@code dev.runway.datasource.flags.FeatureFlags}: the flag record and its validation
 * ({@link dev.runway.core.flags.Flag}, {@link dev.runway.core.flags.FlagChange}), the table on the
 * primary ({@link dev.runway.core.flags.FlagTable}, created like the history table, with every
 * change announced through the invalidation notices of {@code dev.runway.core.notify}) and the
 * stable subject hashing of percentage rollouts ({@link dev.runway.core.flags.Rollout}). Needs only a
 * JDBC connection: no pools, no threads.
 */
package dev.runway.core.flags;
