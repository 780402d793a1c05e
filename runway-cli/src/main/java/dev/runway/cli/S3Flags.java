package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.util.Map;
import picocli.CommandLine.Option;

/** The S3 connection flags of {@code release} and {@code backup}; each maps to one {@link Setting}. */
final class S3Flags {
    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint (env AWS_ENDPOINT_URL_S3; unset = AWS S3).")
    String endpoint;
    @Option(names = "--s3-region", paramLabel = "NAME", description = "S3 signing region (env AWS_REGION; auto for Tigris).")
    String region;
    @Option(names = "--s3-access-key-id", paramLabel = "ID", description = "S3 access key id (env AWS_ACCESS_KEY_ID; the secret only"
            + " from AWS_SECRET_ACCESS_KEY or runway.toml).")
    String accessKeyId;
    @Option(names = "--s3-path-style", paramLabel = "auto|true|false", description = "Path-style requests (default auto: for an IP"
            + " address or localhost endpoint).")
    String pathStyle;
    @Option(names = "--s3-part-size", paramLabel = "MIB", description = "MiB per multipart part (default 8).")
    String partSize;
    @Option(names = "--s3-uploads", paramLabel = "N", description = "Parts uploaded at the same time (default 2).")
    String uploads;

    /** Sets the field of {@code s} (the fast path's way in); false when {@code s} is not an S3 flag. */
    boolean set(Setting s, String v) {
        switch (s) {
            case S3_ENDPOINT: endpoint = v; return true;
            case S3_REGION: region = v; return true;
            case S3_ACCESS_KEY_ID: accessKeyId = v; return true;
            case S3_PATH_STYLE: pathStyle = v; return true;
            case S3_PART_SIZE: partSize = v; return true;
            case S3_UPLOADS: uploads = v; return true;
            default: return false;
        }
    }

    void addTo(Map<Setting, String> flags) {
        put(flags, Setting.S3_ENDPOINT, endpoint);
        put(flags, Setting.S3_REGION, region);
        put(flags, Setting.S3_ACCESS_KEY_ID, accessKeyId);
        put(flags, Setting.S3_PATH_STYLE, pathStyle);
        put(flags, Setting.S3_PART_SIZE, partSize);
        put(flags, Setting.S3_UPLOADS, uploads);
    }

    static void put(Map<Setting, String> m, Setting k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
