package dev.runway.core.pg;

import dev.runway.core.DatabaseUrl;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Recognises the connection failures that come from TLS settings: a certificate signed by another CA,
 * a certificate that does not name the host, an unreadable {@code sslrootcert}, or a server without
 * TLS under {@code sslmode=require}. These are configuration errors (exit 2), not outages: retrying
 * cannot help. Matches pgjdbc's messages and the {@code javax.net.ssl} exceptions in the cause chain.
 * Stateless; thread-safe.
 */
public final class TlsFailure {
    private TlsFailure() {
    }

    /**
     * One line saying what is wrong with the TLS settings of {@code url} and what to do, or null when
     * {@code e} is not a TLS failure.
     */
    public static String explain(SQLException e, DatabaseUrl url) {
        String msg = PgSession.firstLine(e.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        String mode = url.params().getOrDefault("sslmode", "prefer");
        String rootCert = url.params().get("sslrootcert");
        if (lower.contains("server does not support ssl")) {
            return "the server does not offer TLS, and sslmode=" + mode + " requires it (enable ssl on the server, or connect"
                    + " with an address that has TLS; sslmode=disable only on a network you trust)";
        }
        if (lower.contains("could not be verified by hostnameverifier") || hasCause(e, "java.security.cert.CertificateException")
                && lower.contains("hostname")) {
            return "the server's TLS certificate does not name the host '" + url.host() + "' (sslmode=" + mode
                    + " checks it: connect by a name the certificate lists, or use sslmode=verify-ca)";
        }
        if (lower.contains("root certificate file")) {
            return "cannot use the CA file " + (rootCert == null ? "~/.postgresql/root.crt (the default; set sslrootcert=FILE)"
                    : "sslrootcert=" + rootCert) + ": " + msg;
        }
        if (lower.contains("pkix") || lower.contains("certpathvalidator") || hasCause(e, "sun.security.validator.ValidatorException")
                || hasCause(e, "java.security.cert.CertPathValidatorException")) {
            return "the server's TLS certificate is not signed by the CA in " + (rootCert == null
                    ? "the default root store (~/.postgresql/root.crt; set sslrootcert=FILE)" : "sslrootcert=" + rootCert)
                    + " (sslmode=" + mode + "; give the CA that signed the server's certificate)";
        }
        if (hasCause(e, "javax.net.ssl.SSLException") || lower.startsWith("ssl error")) {
            return "TLS handshake failed (sslmode=" + mode + "): " + msg;
        }
        return null;
    }

    private static boolean hasCause(Throwable e, String className) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<?> k = t.getClass(); k != null; k = k.getSuperclass()) {
                if (k.getName().equals(className)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
