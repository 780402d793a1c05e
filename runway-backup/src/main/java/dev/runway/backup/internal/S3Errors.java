package dev.runway.backup.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the S3 client's exceptions into one-line {@link RunwayException}s: refused credentials, a
 * missing bucket or an unknown host are configuration (exit 2); a refused or timed-out connection,
 * throttling and server errors are temporary (exit 75). Messages never carry credentials: they are
 * built from the error code, the status and the endpoint, not from the request.
 */
final class S3Errors {
    private S3Errors() {
    }

    static RunwayException of(SdkException e, String what, String endpoint, String bucket) {
        if (e instanceof AwsServiceException) {
            AwsServiceException s = (AwsServiceException) e;
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String id = (code == null ? "HTTP " + status : code + ", HTTP " + status);
            if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
                return new RunwayException(ErrorCode.USAGE, what + ": bucket '" + bucket + "' does not exist at " + endpoint + " (" + id
                        + "); create it (fly storage create) or fix the location", e);
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "InvalidToken".equals(code)
                    || "ExpiredToken".equals(code)) {
                return new RunwayException(ErrorCode.USAGE, what + ": " + endpoint + " refused the credentials (" + id
                        + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
            }
            if (status == 403 || "AccessDenied".equals(code)) {
                return new RunwayException(ErrorCode.USAGE, what + ": access to bucket '" + bucket + "' at " + endpoint + " denied ("
                        + id + "); check the key's permissions and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY", e);
            }
            if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
                return new RunwayException(ErrorCode.TEMPORARY, what + ": " + endpoint + " answered " + id + "; retry later", e);
            }
            if ("AuthorizationHeaderMalformed".equals(code) || "PermanentRedirect".equals(code)) {
                return new RunwayException(ErrorCode.USAGE, what + ": " + endpoint + " answered " + id
                        + "; check AWS_REGION and AWS_ENDPOINT_URL_S3", e);
            }
            return new RunwayException(ErrorCode.USAGE, what + ": " + endpoint + " answered " + id, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new RunwayException(ErrorCode.USAGE, what + ": unknown host in " + endpoint
                        + "; check AWS_ENDPOINT_URL_S3 (and the bucket name, with virtual-hosted addressing)", e);
            }
        }
        return new RunwayException(ErrorCode.TEMPORARY, what + ": cannot reach " + endpoint + " (" + rootMessage(e) + "); retry later", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
