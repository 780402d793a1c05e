package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on 127.0.0.1. Another process may still take one before we bind it: callers retry. Thread-safe. */
public final class Ports {
    private Ports() {
    }

    /** A port free right now on 127.0.0.1, not in {@code avoid}. */
    public static int free(Set<Integer> avoid) {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int p = s.getLocalPort();
                if (!avoid.contains(p)) {
                    return p;
                }
            } catch (IOException e) {
                throw new RunwayException(ErrorCode.TEMPORARY, "cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
            }
        }
        throw new RunwayException(ErrorCode.TEMPORARY, "no free port on 127.0.0.1 after 50 tries");
    }

    /** {@code n} distinct free ports. */
    public static int[] free(int n) {
        Set<Integer> taken = new HashSet<>();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = free(taken);
            taken.add(out[i]);
        }
        return out;
    }
}
