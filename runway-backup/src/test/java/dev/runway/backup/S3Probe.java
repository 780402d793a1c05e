package dev.runway.backup;

import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Test helper: an independent look at a bucket through the S3 API (not through Runway's store), to
 * assert what is visible and which multipart uploads are left.
 */
public final class S3Probe implements AutoCloseable {
    private final S3Client client;

    public S3Probe(S3ProxyServer server) {
        client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of("auto"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET)))
                .endpointOverride(server.endpoint()).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    }

    /** Every visible key in the bucket. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).sorted().toList();
    }

    /** Every visible key under {@code prefix}. */
    public List<String> keys(String bucket, String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(o -> o.key()).sorted().toList();
    }

    /** Keys of incomplete multipart uploads. */
    public List<String> uploads(String bucket) {
        return client.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().stream().map(u -> u.key()).sorted().toList();
    }

    public java.util.Map<String, String> metadata(String bucket, String key) {
        return client.headObject(b -> b.bucket(bucket).key(key)).metadata();
    }

    public S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
