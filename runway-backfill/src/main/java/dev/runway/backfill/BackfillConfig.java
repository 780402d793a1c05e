package dev.runway.backfill;

/**
 * How a {@link Backfiller} runs what the directives do not say: where {@link JavaBackfill} classes
 * are loaded from. Built by {@link #builder()}; immutable.
 *
 * @param classLoader loads the {@code class=} of Java backfills; default: the thread's context class
 *                    loader, else the one that loaded Runway
 */
public record BackfillConfig(ClassLoader classLoader) {
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: the context class loader. */
    public static BackfillConfig defaults() {
        return builder().build();
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private ClassLoader classLoader;

        private Builder() {
        }

        /** Where {@code class=} names are looked up (e.g. a {@code URLClassLoader} over the application's jars). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        public BackfillConfig build() {
            ClassLoader l = classLoader;
            if (l == null) {
                l = Thread.currentThread().getContextClassLoader();
            }
            return new BackfillConfig(l != null ? l : BackfillConfig.class.getClassLoader());
        }
    }
}
