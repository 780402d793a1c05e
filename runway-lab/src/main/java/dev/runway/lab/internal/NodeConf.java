package dev.runway.lab.internal;

import dev.runway.core.RunwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code runway-node.conf}, the per-node settings included by the lab's postgresql.conf:
 * port, cluster_name, socket dir and, for a replica, where it streams from. Rewriting it and reloading
 * changes a replica's upstream at run time (primary_conninfo is reloadable since PostgreSQL 13).
 * Stateless; thread-safe.
 */
public final class NodeConf {
    /** Unix socket paths are limited to 107 bytes; longer lab dirs get TCP only. */
    private static final int MAX_SOCKET_DIR = 107 - ".s.PGSQL.65535.lock".length() - 1;

    private NodeConf() {
    }

    /**
     * @param socketDir    where the unix socket goes; null (or a path too long for a socket) = TCP only
     * @param upstreamPort for a replica, the port its WAL stream connects to (the primary's or a proxy's);
     *                     0 for a primary
     * @param tls          certificate files when the server runs with TLS (its WAL stream then verifies the
     *                     primary's certificate too), else null
     */
    public static void write(Path dataDir, String name, int port, Path socketDir, int upstreamPort, dev.runway.lab.LabTls tls) {
        String sockets = socketDir != null && socketDir.toString().length() <= MAX_SOCKET_DIR ? socketDir.toString() : "";
        StringBuilder b = new StringBuilder()
                .append("# written by runway-lab; rewritten on every start\n")
                .append("port = ").append(port).append('\n')
                .append("cluster_name = '").append(name).append("'\n")
                .append("unix_socket_directories = '").append(sockets.replace("'", "''")).append("'\n");
        if (tls != null) {
            b.append("ssl = on\n")
                    .append("ssl_cert_file = '").append(quote(tls.serverCert())).append("'\n")
                    .append("ssl_key_file = '").append(quote(tls.serverKey())).append("'\n");
        }
        if (upstreamPort > 0) {
            String ssl = tls == null ? "" : " sslmode=verify-full sslrootcert=" + quote(tls.caCert()).replace(" ", "\\ ");
            b.append("primary_conninfo = 'host=127.0.0.1 port=").append(upstreamPort)
                    .append(" user=postgres application_name=").append(name).append(" connect_timeout=5").append(ssl).append("'\n")
                    .append("primary_slot_name = '").append(name).append("'\n");
        }
        try {
            Files.writeString(dataDir.resolve("runway-node.conf"), b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw RunwayException.usage("cannot write " + dataDir.resolve("runway-node.conf") + ": " + e.getMessage());
        }
    }

    private static String quote(Path p) {
        return p.toString().replace("'", "''");
    }

    /** Marks a data dir as a standby (replica) for its next start. */
    public static void standby(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("standby.signal"), "");
        } catch (IOException e) {
            throw RunwayException.usage("cannot write " + dataDir.resolve("standby.signal") + ": " + e.getMessage());
        }
    }
}
