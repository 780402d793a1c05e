package dev.runway.backup.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@link OutputStream} that cuts what is written into parts of a multipart upload. Memory is
 * bounded: at most {@code uploads + 1} part buffers exist (one filling, the others uploading); when
 * all are in flight, {@code write} blocks, which in turn blocks the producer (pg_dump on its pipe).
 * Nothing touches the disk. Not thread-safe: one writer.
 */
final class MultipartSink extends OutputStream {
    /** S3's limit on parts per upload. */
    static final int MAX_PARTS = 10_000;
    private final S3Client client;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final int partSize;
    private final int maxBuffers;
    private final S3Store store;
    private final ExecutorService pool;
    private final BlockingQueue<byte[]> free;
    private final Deque<Future<CompletedPart>> inFlight = new ArrayDeque<>();
    private final List<CompletedPart> done = new ArrayList<>();
    private int allocated;
    private byte[] current;
    private int pos;
    private int partNumber;

    MultipartSink(S3Store store, S3Client client, String bucket, String key, String uploadId, int partSize, int uploads) {
        this.store = store;
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
        this.partSize = partSize;
        this.maxBuffers = uploads + 1;
        this.free = new ArrayBlockingQueue<>(maxBuffers);
        this.pool = Executors.newFixedThreadPool(uploads, r -> {
            Thread t = new Thread(r, "runway-s3-part");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null) {
                current = nextBuffer();
                pos = 0;
            }
            int n = Math.min(len, partSize - pos);
            System.arraycopy(b, off, current, pos, n);
            pos += n;
            off += n;
            len -= n;
            if (pos == partSize) {
                send();
            }
        }
    }

    private byte[] nextBuffer() throws IOException {
        byte[] b = free.poll();
        if (b != null) {
            return b;
        }
        if (allocated < maxBuffers) {
            allocated++;
            return new byte[partSize];
        }
        try {
            while (true) {
                reapFinished();
                b = free.poll(200, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "S3 upload interrupted", e);
        }
    }

    /** Collects parts whose upload ended, so a failed part stops the dump at once. */
    private void reapFinished() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            done.add(result(inFlight.pollFirst()));
        }
    }

    private void send() {
        if (++partNumber > MAX_PARTS) {
            throw RunwayException.usage("S3 backup: the dump exceeds " + MAX_PARTS + " parts of " + (partSize >> 20)
                    + " MiB; raise the part size (s3_part_size)");
        }
        byte[] buf = current;
        int len = pos;
        int n = partNumber;
        current = null;
        pos = 0;
        inFlight.addLast(pool.submit(() -> {
            try {
                UploadPartResponse r = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                        .contentLength((long) len), RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len,
                        "application/octet-stream"));
                return CompletedPart.builder().partNumber(n).eTag(r.eTag()).build();
            } finally {
                free.offer(buf);
            }
        }));
        reapFinished();
    }

    private CompletedPart result(Future<CompletedPart> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "S3 upload interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SdkException) {
                throw store.error((SdkException) c, "S3 upload of " + key);
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new RunwayException(ErrorCode.TEMPORARY, "S3 upload failed: " + c, c);
        }
    }

    /** Uploads the last part and waits for all; returns the parts in order. */
    List<CompletedPart> finish() {
        if (current != null && pos > 0 || partNumber == 0) {
            if (current == null) {
                current = new byte[0];
            }
            send();
        }
        while (!inFlight.isEmpty()) {
            done.add(result(inFlight.pollFirst()));
        }
        pool.shutdown();
        done.sort(Comparator.comparingInt(CompletedPart::partNumber));
        return done;
    }

    /**
     * Stops uploading: parts not started are dropped, parts in flight are waited for (up to a minute), so
     * that the abort that follows frees every part; a part that finishes after an abort would otherwise
     * keep its storage (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html).
     */
    void cancel() {
        for (Future<CompletedPart> f : inFlight) {
            f.cancel(false);
        }
        pool.shutdown();
        try {
            pool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Peak part buffers allocated (for tests of the memory bound). */
    int buffersAllocated() {
        return allocated;
    }
}
