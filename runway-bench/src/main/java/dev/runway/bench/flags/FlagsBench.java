package dev.runway.bench.flags;

import dev.runway.core.flags.Flag;
import dev.runway.datasource.flags.FeatureFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path of feature flags (docs/benchmarks.md, "Feature flags"): {@code enabled(name, subject)}
 * on a snapshot of 50 flags, for a user id as text (a UUID), as a number, and without a subject; a
 * 25 % rollout limited to this instance's region, so every check hashes the subject. The flags are
 * {@link FeatureFlags#fixed}, which evaluates exactly like the live ones (the database only feeds the
 * snapshot). Run with {@code -prof gc} for allocation per operation.
 *
 * <pre>java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' org.openjdk.jmh.Main FlagsBench -prof gc -prof dev.runway.bench.flags.CpuTimeProfiler</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class FlagsBench {
    FeatureFlags flags;
    String name;
    String uuid;
    long id;
    java.util.HashMap<String, Integer> map;

    @Setup
    public void setup() {
        List<Flag> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(new Flag("feature_" + i, true, 25, List.of("ams", "fra"), "bench", null));
        }
        flags = FeatureFlags.fixed(fs, "ams");
        // not a compile-time constant: the name's hash code is computed once, as for a name held in a field
        name = new String("feature_17".toCharArray());
        uuid = "3f2b8c1e-9d4a-4f6b-8a2e-5c7d9e1f0a3b";
        id = 123_456_789L;
        map = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            map.put("feature_" + i, i);
        }

    }

    @Benchmark
    public boolean uuidSubject() {
        return flags.enabled(name, uuid);
    }

    @Benchmark
    public boolean numericSubject() {
        return flags.enabled(name, id);
    }

    @Benchmark
    public boolean noSubject() {
        return flags.enabled(name);
    }

    /**
     * Reference for reading the others on a loaded machine: a HashMap lookup plus String.hashCode's
     * loop over the same UUID (31 * h + c, the cached hash code not used).
     */
    @Benchmark
    public int baselineMapAndHash() {
        int h = 0;
        for (int i = 0; i < uuid.length(); i++) {
            h = 31 * h + uuid.charAt(i);
        }
        return map.get(name) + h;
    }
}
