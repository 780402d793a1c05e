package dev.runway.lab;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away certificate authority and one server certificate it signed, for a lab that runs every
 * server with TLS ({@code lab up --tls}). The server certificate names {@code 127.0.0.1} only (an IP
 * subject alternative name), so {@code sslmode=verify-full} passes for the lab's URLs and fails for
 * {@code localhost}: a wrong host name on demand. Made with {@code openssl} (P-256 keys, valid 30
 * days); the keys are mode 0600. Immutable.
 *
 * @param dir        where the files are
 * @param caCert     the CA certificate (PEM): what clients give as {@code sslrootcert}
 * @param serverCert the server certificate (PEM), {@code ssl_cert_file}
 * @param serverKey  its private key (PEM), {@code ssl_key_file}
 */
public record LabTls(Path dir, Path caCert, Path serverCert, Path serverKey) {
    /** The only name in the server certificate. */
    public static final String HOST = "127.0.0.1";

    /** The files of a lab TLS dir made earlier by {@link #create}. */
    public static LabTls in(Path dir) {
        return new LabTls(dir, dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
    }

    /**
     * Makes a new CA and a server certificate for {@link #HOST} in {@code dir} (created if missing).
     *
     * @throws RunwayException USAGE when openssl is missing or fails
     */
    public static LabTls create(Path dir) {
        LabTls t = in(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw RunwayException.usage("cannot create " + dir + ": " + e.getMessage());
        }
        Path caKey = dir.resolve("ca.key");
        Path csr = dir.resolve("server.csr");
        Path ext = dir.resolve("server.ext");
        openssl(List.of("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", t.caCert.toString(), "-days", "30", "-subj", "/CN=runway-lab-ca-" + dir.getFileName(),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        openssl(List.of("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", t.serverKey.toString(), "-out", csr.toString(), "-subj", "/CN=" + HOST));
        try {
            Files.writeString(ext, "subjectAltName=IP:" + HOST + "\nbasicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        } catch (IOException e) {
            throw RunwayException.usage("cannot write " + ext + ": " + e.getMessage());
        }
        openssl(List.of("x509", "-req", "-in", csr.toString(), "-CA", t.caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", t.serverCert.toString(), "-days", "30", "-extfile", ext.toString()));
        try {
            Files.setPosixFilePermissions(t.serverKey, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(caKey, PosixFilePermissions.fromString("rw-------"));
            Files.deleteIfExists(csr);
            Files.deleteIfExists(ext);
        } catch (IOException e) {
            throw RunwayException.usage("cannot set up " + dir + ": " + e.getMessage());
        }
        return t;
    }

    /** {@code url} verified against this CA: {@code sslmode=verify-full&sslrootcert=<ca.crt>}. */
    public DatabaseUrl verified(DatabaseUrl url) {
        return url.withParam("sslmode", "verify-full").withParam("sslrootcert", caCert.toString());
    }

    private static void openssl(List<String> args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(args);
        Os.Result r;
        try {
            r = Os.run(cmd, Duration.ofSeconds(60));
        } catch (RunwayException e) {
            throw RunwayException.usage("lab --tls needs openssl to make a throw-away CA: " + e.getMessage()
                    + " (apt-get install openssl)");
        }
        if (r.exitCode() != 0) {
            throw RunwayException.usage("openssl " + args.get(0) + " failed (exit " + r.exitCode() + "): " + r.errorLine());
        }
    }
}
