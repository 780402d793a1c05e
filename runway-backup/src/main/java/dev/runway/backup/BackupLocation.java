package dev.runway.backup;

import dev.runway.core.RunwayException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where backups are kept: a local directory or a prefix in an S3 bucket. Parsed strictly: a
 * {@code scheme://} other than {@code s3://} is refused rather than taken for a directory name.
 */
public sealed interface BackupLocation permits BackupLocation.Directory, BackupLocation.S3 {
    /** The prefix {@code --backup s3} uses in {@code $BUCKET_NAME}. */
    String DEFAULT_PREFIX = "runway-backups/";

    /** Whether this location needs S3 credentials and the S3 client. */
    boolean remote();

    /** A local directory (created 0700 when missing; files 0600). */
    record Directory(Path path) implements BackupLocation {
        @Override
        public boolean remote() {
            return false;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * A bucket and a key prefix ("" or ending in '/', or any text keys should start with).
     * Construct through {@link BackupLocation#parse}.
     */
    record S3(String bucket, String prefix) implements BackupLocation {
        @Override
        public boolean remote() {
            return true;
        }

        /** {@code s3://bucket/key}. */
        public String uri(String key) {
            return "s3://" + bucket + "/" + key;
        }

        @Override
        public String toString() {
            return uri(prefix);
        }
    }

    /**
     * Parses what a user wrote for a backup location.
     *
     * <ul>
     *   <li>{@code s3://BUCKET/PREFIX} (a prefix without a trailing '/' gets one; none = the bucket's top);</li>
     *   <li>{@code s3}: {@code s3://$BUCKET_NAME/runway-backups/} (BUCKET_NAME is what {@code fly storage create} sets);</li>
     *   <li>anything else without a {@code scheme:} is a local directory.</li>
     * </ul>
     *
     * @param source the flag or key to name in errors
     * @throws RunwayException USAGE for another scheme, a missing bucket or a missing BUCKET_NAME
     */
    static BackupLocation parse(String text, String source, Function<String, String> env) {
        if (text == null || text.isBlank()) {
            throw RunwayException.usage(source + ": empty backup location (give a directory, s3://BUCKET/PREFIX/ or s3)");
        }
        String t = text.trim();
        if (t.equals("s3")) {
            String bucket = env.apply("BUCKET_NAME");
            if (bucket == null || bucket.isBlank()) {
                throw RunwayException.usage(source + " s3: BUCKET_NAME is not set (fly storage create sets it);"
                        + " set it or give s3://BUCKET/PREFIX/");
            }
            return new S3(checkBucket(bucket.trim(), source + " s3 (BUCKET_NAME)"), DEFAULT_PREFIX);
        }
        int colon = t.indexOf("://");
        if (colon < 0 && t.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !t.matches("[A-Za-z]:[\\\\/].*")) {
            colon = t.indexOf(':');
        }
        if (colon > 0 && t.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            String scheme = t.substring(0, colon);
            if (scheme.equals("s3") && !t.startsWith("://", colon)) {
                throw RunwayException.usage(source + ": '" + t + "' is not an S3 location (write s3://BUCKET/PREFIX/)");
            }
            if (!scheme.equals("s3")) {
                throw RunwayException.usage(source + ": '" + scheme + ":' is not a backup location (give a local directory,"
                        + " s3://BUCKET/PREFIX/ or s3)");
            }
            String rest = t.substring(colon + 3);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw RunwayException.usage(source + ": '" + t + "' names no bucket (write s3://BUCKET/PREFIX/)");
            }
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            return new S3(checkBucket(bucket, source), prefix);
        }
        return new Directory(Path.of(t));
    }

    private static String checkBucket(String bucket, String source) {
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw RunwayException.usage(source + ": '" + bucket + "' is not a valid bucket name (3-63 characters: a-z, 0-9, '.', '-')");
        }
        return bucket;
    }
}
