package dev.runway.backup.internal;

import dev.runway.backup.BackupLocation;
import dev.runway.backup.S3Config;
import dev.runway.core.RunwayException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups under an S3 prefix, through the AWS SDK for Java v2 (SigV4 signing, retries, the multipart
 * API) over the JDK's HttpURLConnection. A backup is a multipart upload: invisible until
 * CompleteMultipartUpload, aborted on any failure; a killed run leaves an incomplete upload that
 * listings do not show, which a later backup aborts once it is a day old ({@link #abortStaleUploads()}).
 *
 * <p>Request checksums are sent only when an operation requires them (the SDK's default since 2.30
 * adds CRC trailers that several S3-compatible stores reject); the dump's own SHA-256 is stored next
 * to it and checked on restore.
 */
public final class S3Store implements Store {
    /** Incomplete uploads older than this are taken for killed runs and aborted. */
    static final Duration STALE_UPLOAD = Duration.ofDays(1);
    private final S3Client client;
    private final S3Config config;
    private final BackupLocation.S3 location;
    private final String endpoint;

    private S3Store(S3Client client, S3Config config, BackupLocation.S3 location) {
        this.client = client;
        this.config = config;
        this.location = location;
        this.endpoint = config.endpoint() == null ? "AWS S3 (" + config.region() + ")" : config.endpoint().toString();
    }

    /** A store on {@code location}; no request is made yet. */
    public static S3Store open(BackupLocation.S3 location, S3Config config) {
        S3ClientBuilder b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)).build())
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())))
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        return new S3Store(b.build(), config, location);
    }

    RunwayException error(SdkException e, String what) {
        return S3Errors.of(e, what, endpoint, location.bucket());
    }

    private String key(String name) {
        return location.prefix() + name;
    }

    @Override
    public Upload create(String name, Map<String, String> metadata) {
        String key = key(name);
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(key).metadata(metadata)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw error(e, "S3 backup to " + location.uri(key));
        }
        MultipartSink sink = new MultipartSink(this, client, location.bucket(), key, uploadId, config.partSize(), config.uploads());
        return new Upload() {
            @Override
            public OutputStream out() {
                return sink;
            }

            @Override
            public void complete() {
                List<CompletedPart> parts = sink.finish();
                try {
                    client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)));
                } catch (SdkException e) {
                    throw error(e, "S3 backup to " + location.uri(key));
                }
            }

            @Override
            public void abort(Throwable cause) {
                sink.cancel();
                try {
                    client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException | RunwayException e) {
                    cause.addSuppressed(e);
                }
            }
        };
    }

    @Override
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.prefix()).delimiter("/"))
                    .contents()) {
                out.add(new Entry(o.key().substring(location.prefix().length()), o.size()));
            }
        } catch (SdkException e) {
            throw error(e, "S3 list of " + location);
        }
        return out;
    }

    @Override
    public Map<String, String> metadata(String name) {
        try {
            return client.headObject(b -> b.bucket(location.bucket()).key(key(name))).metadata();
        } catch (SdkException e) {
            throw notFoundOr(e, name, "S3 read of ");
        }
    }

    @Override
    public String readText(String name) {
        try {
            return client.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key(name))).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException
                    && ((software.amazon.awssdk.awscore.exception.AwsServiceException) e).statusCode() == 404
                    && !"NoSuchBucket".equals(((software.amazon.awssdk.awscore.exception.AwsServiceException) e).awsErrorDetails().errorCode())) {
                return null;
            }
            throw error(e, "S3 read of " + location.uri(key(name)));
        }
    }

    @Override
    public void writeText(String name, String text) {
        try {
            client.putObject(b -> b.bucket(location.bucket()).key(key(name)).contentType("text/plain"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw error(e, "S3 write of " + location.uri(key(name)));
        }
    }

    @Override
    public InputStream open(String name) {
        try {
            return client.getObject(b -> b.bucket(location.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw notFoundOr(e, name, "S3 read of ");
        }
    }

    @Override
    public long size(String name) {
        try {
            return client.headObject(b -> b.bucket(location.bucket()).key(key(name))).contentLength();
        } catch (SdkException e) {
            throw notFoundOr(e, name, "S3 read of ");
        }
    }

    private RunwayException notFoundOr(SdkException e, String name, String what) {
        if (e instanceof NoSuchKeyException || (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException
                && ((software.amazon.awssdk.awscore.exception.AwsServiceException) e).statusCode() == 404
                && headBucketOk())) {
            return RunwayException.usage(location.uri(key(name)) + ": no such backup (see 'runway backup list "
                    + location + "')");
        }
        return error(e, what + location.uri(key(name)));
    }

    private boolean headBucketOk() {
        try {
            client.headBucket(b -> b.bucket(location.bucket()));
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public void delete(String name) {
        try {
            client.deleteObject(b -> b.bucket(location.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw error(e, "S3 delete of " + location.uri(key(name)));
        }
    }

    @Override
    public String describe(String name) {
        return location.uri(key(name));
    }

    @Override
    public int abortStaleUploads() {
        int aborted = 0;
        Instant cutoff = Instant.now().minus(STALE_UPLOAD);
        try {
            for (MultipartUpload u : client.listMultipartUploadsPaginator(b -> b.bucket(location.bucket()).prefix(location.prefix()))
                    .uploads()) {
                String name = u.key().substring(location.prefix().length());
                if (BackupName.parse(name) != null && u.initiated() != null && u.initiated().isBefore(cutoff)) {
                    client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(u.key()).uploadId(u.uploadId()));
                    aborted++;
                }
            }
        } catch (SdkException e) {
            throw error(e, "S3 clean-up of incomplete uploads under " + location);
        }
        return aborted;
    }

    @Override
    public int incompleteUploads() {
        int out = 0;
        try {
            for (MultipartUpload u : client.listMultipartUploadsPaginator(b -> b.bucket(location.bucket()).prefix(location.prefix()))
                    .uploads()) {
                if (BackupName.parse(u.key().substring(location.prefix().length())) != null) {
                    out++;
                }
            }
        } catch (SdkException e) {
            // Not every S3-compatible store implements ListMultipartUploads: the count is extra information.
            return -1;
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}
