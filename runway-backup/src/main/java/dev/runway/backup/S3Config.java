package dev.runway.backup;

import dev.runway.core.RunwayException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to reach S3-compatible storage: credentials, region, endpoint and addressing style. On Fly.io
 * {@code fly storage create} sets exactly what this needs ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_S3}).
 *
 * <p>Immutable; {@link #toString()} never shows the secret. Built by {@link #builder()}, whose
 * {@code build()} names the setting at fault.
 *
 * @param accessKeyId     the access key id
 * @param secretAccessKey the secret (never printed)
 * @param region          the signing region ({@code auto} for Tigris)
 * @param endpoint        the endpoint, or null for AWS S3's own
 * @param pathStyle       path-style requests ({@code http://host/bucket/key}) instead of virtual-hosted ones
 *                        ({@code http://bucket.host/key})
 * @param partSize        bytes per multipart part (5 MiB to 5 GiB); with {@link #uploads} bounds the memory a backup uses
 * @param uploads         parts uploaded at the same time (1 to 16)
 */
public record S3Config(String accessKeyId, String secretAccessKey, String region, URI endpoint, boolean pathStyle,
                       int partSize, int uploads) {
    /** 8 MiB parts: S3 allows 10,000 parts, so one upload holds up to 78 GiB of dump. */
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    public static final int DEFAULT_UPLOADS = 2;
    private static final int MIN_PART = 5 << 20;

    @Override
    public String toString() {
        return "S3Config[accessKeyId=" + accessKeyId + ", secretAccessKey=***, region=" + region + ", endpoint=" + endpoint
                + ", pathStyle=" + pathStyle + ", partSize=" + partSize + ", uploads=" + uploads + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects values with where each came from (a flag, variable or runway.toml key), so that errors
     * name it. Not thread-safe.
     */
    public static final class Builder {
        private String accessKeyId;
        private String accessKeyIdSource = "AWS_ACCESS_KEY_ID";
        private String secret;
        private String secretSource = "AWS_SECRET_ACCESS_KEY";
        private String region;
        private String regionSource = "AWS_REGION";
        private String endpoint;
        private String endpointSource = "AWS_ENDPOINT_URL_S3";
        private String pathStyle = "auto";
        private String pathStyleSource = "RUNWAY_S3_PATH_STYLE";
        private int partSize = DEFAULT_PART_SIZE;
        private int uploads = DEFAULT_UPLOADS;

        private Builder() {
        }

        public Builder accessKeyId(String v, String source) {
            accessKeyId = v;
            accessKeyIdSource = source;
            return this;
        }

        public Builder secretAccessKey(String v, String source) {
            secret = v;
            secretSource = source;
            return this;
        }

        public Builder region(String v, String source) {
            region = v;
            regionSource = source;
            return this;
        }

        /** {@code https://host[:port]}; null or empty = AWS S3. */
        public Builder endpoint(String v, String source) {
            endpoint = v;
            endpointSource = source;
            return this;
        }

        /** {@code auto} (path-style for an IP address or localhost, else virtual-hosted), {@code true} or {@code false}. */
        public Builder pathStyle(String v, String source) {
            pathStyle = v;
            pathStyleSource = source;
            return this;
        }

        public Builder partSize(int bytes) {
            partSize = bytes;
            return this;
        }

        public Builder uploads(int n) {
            uploads = n;
            return this;
        }

        /** @throws RunwayException USAGE naming every missing variable, or the setting with a bad value */
        public S3Config build() {
            List<String> missing = new ArrayList<>();
            if (blank(accessKeyId)) {
                missing.add(accessKeyIdSource);
            }
            if (blank(secret)) {
                missing.add(secretSource);
            }
            if (blank(region)) {
                missing.add(regionSource);
            }
            if (!missing.isEmpty()) {
                throw RunwayException.usage("S3 backup: " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                        + " not set (fly storage create sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and"
                        + " AWS_ENDPOINT_URL_S3); nothing was changed");
            }
            URI uri = null;
            if (!blank(endpoint)) {
                try {
                    uri = new URI(endpoint.trim());
                } catch (URISyntaxException e) {
                    uri = null;
                }
                if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    throw RunwayException.usage(endpointSource + ": '" + endpoint + "' is not an http(s)://host[:port] endpoint");
                }
            }
            boolean path;
            switch (pathStyle == null ? "auto" : pathStyle.trim().toLowerCase(Locale.ROOT)) {
                case "auto":
                    path = uri != null && literalOrLocal(uri.getHost());
                    break;
                case "true":
                    path = true;
                    break;
                case "false":
                    path = false;
                    break;
                default:
                    throw RunwayException.usage(pathStyleSource + ": '" + pathStyle + "' is not auto, true or false");
            }
            if (partSize < MIN_PART) {
                throw RunwayException.usage("S3 part size " + partSize + " is below S3's minimum of 5 MiB");
            }
            if (uploads < 1 || uploads > 16) {
                throw RunwayException.usage("S3 concurrent part uploads " + uploads + " is not from 1 to 16");
            }
            return new S3Config(accessKeyId.trim(), secret, region.trim(), uri, path, partSize, uploads);
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        /** Virtual-hosted names (bucket.host) cannot work on an IP address or localhost. */
        private static boolean literalOrLocal(String host) {
            return host.equals("localhost") || host.endsWith(".localhost") || host.matches("[0-9.]+") || host.contains(":")
                    || host.startsWith("[");
        }
    }
}
