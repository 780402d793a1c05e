package dev.runway.backup.internal;

import dev.runway.backup.BackupLocation;
import dev.runway.backup.S3Config;
import java.util.function.Supplier;

/**
 * Opens the store for a location. {@link S3Store} (and with it the AWS SDK) is touched only in the
 * S3 branch, so a directory backup, or no backup, loads no SDK class.
 */
public final class Stores {
    private Stores() {
    }

    public static Store open(BackupLocation location, Supplier<S3Config> s3, String source) {
        if (location instanceof BackupLocation.S3) {
            return S3Store.open((BackupLocation.S3) location, s3.get());
        }
        return new DirectoryStore(((BackupLocation.Directory) location).path(), source);
    }
}
