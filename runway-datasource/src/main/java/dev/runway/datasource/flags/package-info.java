/**
 * Feature flags evaluated in memory on every instance: {@link dev.runway.datasource.flags.FeatureFlags}
 * keeps a snapshot of the flags table (see {@code dev.runway.core.flags}) loaded from the local
 * replica and reloaded through the invalidation bus when a change is visible there.
 */
package dev.runway.datasource.flags;
