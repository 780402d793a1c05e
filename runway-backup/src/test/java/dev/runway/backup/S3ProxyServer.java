package dev.runway.backup;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test fixture: a real S3 API on loopback, S3Proxy (Maven Central {@code org.gaul:s3proxy}, its
 * {@code jar-with-dependencies} copied to {@code target/s3proxy/s3proxy.jar} by the build) with the
 * {@code filesystem-nio2} backend in a directory under {@code target/}, run as a child JVM. Like every
 * jclouds local backend it emulates multipart uploads with bookkeeping objects at the bucket's top
 * ({@code .mpus-<upload id>-<key>-stub}, the parts, an object named by the upload id) that listings
 * show while an upload is incomplete; AWS S3 lists none of them, so tests look under their key prefix. One server per test JVM
 * ({@link #shared()}), stopped by a shutdown hook; {@link #start(Path)} gives a private one that the
 * caller closes. Buckets are directories ({@link #createBucket}).
 */
public final class S3ProxyServer implements AutoCloseable {
    /** The access key and secret S3Proxy accepts; tests assert the secret never appears in any output. */
    public static final String ACCESS_KEY = "RUNWAYTESTKEY";
    public static final String SECRET = "s3proxy-S3cr3t-n0t-f0r-0utput";
    private static S3ProxyServer shared;
    private final Process process;
    private final Path data;
    private final Path home;
    private final int port;

    private S3ProxyServer(Process process, Path home, Path data, int port) {
        this.process = process;
        this.home = home;
        this.data = data;
        this.port = port;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized S3ProxyServer shared() {
        if (shared == null) {
            try {
                // Under target/: its s3proxy.log stays there for a look after a failed run.
                shared = start(Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "s3proxy-"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            S3ProxyServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "s3proxy-stop"));
        }
        return shared;
    }

    /** Starts S3Proxy on a free loopback port, storing buckets under {@code home}/data; waits until it answers. */
    public static S3ProxyServer start(Path home) {
        try {
            Path data = Files.createDirectories(home.toAbsolutePath().resolve("data"));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path conf = home.resolve("s3proxy.conf");
            Files.writeString(conf, "s3proxy.endpoint=http://127.0.0.1:" + port + "\n"
                    + "s3proxy.authorization=aws-v2-or-v4\n"
                    + "s3proxy.identity=" + ACCESS_KEY + "\n"
                    + "s3proxy.credential=" + SECRET + "\n"
                    + "jclouds.provider=filesystem-nio2\n"
                    + "jclouds.identity=local\n"
                    + "jclouds.credential=local\n"
                    + "jclouds.filesystem.basedir=" + data + "\n");
            Process p = new ProcessBuilder(java(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar().toString(), "--properties", conf.toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("s3proxy.log").toFile()).start();
            S3ProxyServer server = new S3ProxyServer(p, home, data, port);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + home.resolve("s3proxy.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 120 s");
    }

    static Path jar() {
        for (String p : List.of("target/s3proxy/s3proxy.jar", "../runway-backup/target/s3proxy/s3proxy.jar",
                "runway-backup/target/s3proxy/s3proxy.jar")) {
            if (Files.isRegularFile(Path.of(p))) {
                return Path.of(p).toAbsolutePath();
            }
        }
        throw new IllegalStateException("target/s3proxy/s3proxy.jar missing: build with Maven (maven-dependency-plugin execution 's3proxy')");
    }

    private static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Creates an empty bucket (a directory of the filesystem backend); returns its name. */
    public String createBucket(String name) {
        try {
            Files.createDirectories(data.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /** The environment {@code fly storage create} would set for {@code bucket} on this server. */
    public Map<String, String> env(String bucket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_REGION", "auto");
        env.put("AWS_ENDPOINT_URL_S3", endpoint().toString());
        env.put("BUCKET_NAME", bucket);
        return env;
    }

    /** An {@link S3Config} for this server. */
    public S3Config config() {
        return S3Config.builder().accessKeyId(ACCESS_KEY, "test").secretAccessKey(SECRET, "test").region("auto", "test")
                .endpoint(endpoint().toString(), "test").build();
    }

    /** The filesystem backend's directory of {@code bucket} (to look at what S3Proxy really stores). */
    public Path bucketDir(String bucket) {
        return data.resolve(bucket);
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> s = Files.walk(data)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
