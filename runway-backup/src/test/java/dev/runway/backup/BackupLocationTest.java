package dev.runway.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.backup.internal.BackupName;
import dev.runway.core.RunwayException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupLocationTest {
    @Test
    void s3DirectoriesAndTheFlyShorthand() {
        assertThat(BackupLocation.parse("s3://bucket/app/prod", "--backup", k -> null)).isEqualTo(new BackupLocation.S3("bucket", "app/prod/"));
        assertThat(BackupLocation.parse("s3://bucket", "--backup", k -> null)).isEqualTo(new BackupLocation.S3("bucket", ""));
        assertThat(BackupLocation.parse("s3", "--backup", Map.of("BUCKET_NAME", "fly-b")::get))
                .isEqualTo(new BackupLocation.S3("fly-b", "runway-backups/"));
        assertThat(BackupLocation.parse("backups/db", "--backup", k -> null)).isEqualTo(new BackupLocation.Directory(Path.of("backups/db")));
        assertThat(BackupLocation.parse("./s3", "--backup", k -> null)).isEqualTo(new BackupLocation.Directory(Path.of("./s3")));
    }

    @Test
    void otherSchemesAndBrokenS3LocationsAreUsageErrorsNamingTheFlag() {
        for (String bad : new String[] {"gs://b/p", "file:///tmp", "https://x/y", "S3://b/p", "s3:b", "s3://", "s3:///p", "s3://B_b/"}) {
            assertThatThrownBy(() -> BackupLocation.parse(bad, "--backup", k -> null)).as(bad).isInstanceOf(RunwayException.class)
                    .hasMessageStartingWith("--backup");
        }
        assertThatThrownBy(() -> BackupLocation.parse("s3", "RUNWAY_BACKUP", k -> null)).hasMessageContaining("BUCKET_NAME is not set");
    }

    @Test
    void s3ConfigNamesWhatIsMissingAndNeverPrintsTheSecret() {
        assertThatThrownBy(() -> S3Config.builder().build())
                .hasMessageContaining("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION are not set");
        S3Config c = S3Config.builder().accessKeyId("id", "x").secretAccessKey("hunter2", "x").region("auto", "x")
                .endpoint("http://127.0.0.1:9000", "x").build();
        assertThat(c.pathStyle()).isTrue();
        assertThat(c.toString()).doesNotContain("hunter2");
        S3Config tigris = S3Config.builder().accessKeyId("id", "x").secretAccessKey("s", "x").region("auto", "x")
                .endpoint("https://fly.storage.tigris.dev", "x").build();
        assertThat(tigris.pathStyle()).isFalse();
        assertThatThrownBy(() -> S3Config.builder().accessKeyId("id", "x").secretAccessKey("s", "x").region("r", "x")
                .endpoint("fly.storage.tigris.dev", "AWS_ENDPOINT_URL_S3").build()).hasMessageStartingWith("AWS_ENDPOINT_URL_S3:");
    }

    @Test
    void namesRoundTripAndSanitizeTheDatabase() {
        BackupName n = BackupName.of("my db/x", Instant.parse("2025-03-01T12:00:00.789Z"), "20250301115900");
        assertThat(n.toString()).isEqualTo("my_db_x-20250301T120000Z-v20250301115900.dump");
        assertThat(BackupName.parse(n.toString())).isEqualTo(n);
        assertThat(BackupName.parse("app-with-dashes-20250301T120000Z-v0.dump").database()).isEqualTo("app-with-dashes");
        assertThat(BackupName.parse("notes.txt")).isNull();
        assertThat(BackupName.parseChecksum(n.checksumLine("a".repeat(64)))).isEqualTo("a".repeat(64));
    }
}
