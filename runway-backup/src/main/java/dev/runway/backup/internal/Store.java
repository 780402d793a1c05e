package dev.runway.backup.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Where backup objects live: a directory or an S3 prefix. Names are relative to the location.
 * Implementations turn their I/O failures into {@link dev.runway.core.RunwayException}s whose code
 * says whether a retry may help.
 */
public interface Store extends AutoCloseable {
    /** Starts writing {@code name}; nothing is visible under that name until {@link Upload#complete()}. */
    Upload create(String name, Map<String, String> metadata);

    /** Objects directly under the location (name and size), any order. */
    List<Entry> list();

    /** The metadata stored with {@code name} (empty when the store keeps none). */
    Map<String, String> metadata(String name);

    /** A small object's text, or null when it does not exist. */
    String readText(String name);

    /** Writes a small object at once. */
    void writeText(String name, String text);

    InputStream open(String name);

    /** Size of {@code name}; a USAGE error when it does not exist. */
    long size(String name);

    void delete(String name);

    /** {@code s3://bucket/key} or the file's path. */
    String describe(String name);

    /** Aborts incomplete uploads of backups more than a day old (killed runs); returns how many. */
    default int abortStaleUploads() {
        return 0;
    }

    /** Incomplete uploads of backups (killed runs, invisible in listings); -1 when the store cannot tell. */
    default int incompleteUploads() {
        return 0;
    }

    @Override
    void close();

    /** An object's name and size. */
    record Entry(String name, long size) {
    }

    /** An object being written. {@link #abort()} after a failure; {@link #complete()} makes it visible. */
    interface Upload {
        OutputStream out();

        void complete();

        /** Discards everything written; never throws (failures are added to {@code cause} as suppressed). */
        void abort(Throwable cause);
    }
}
