/**
 * In-memory caches kept coherent across instances and regions by the data source's invalidation
 * bus: {@link dev.runway.datasource.cache.CoherentCache}. Backed by Caffeine, an optional dependency
 * of runway-datasource: only this package uses it, so an application that does not use caches
 * needs no Caffeine on its class path (add {@code com.github.ben-manes.caffeine:caffeine} 3.1+ to use
 * them).
 */
package dev.runway.datasource.cache;
