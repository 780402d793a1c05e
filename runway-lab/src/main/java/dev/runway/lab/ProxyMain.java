package dev.runway.lab;

import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.ProxyProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The detached process that serves the WAL-stream delays of a persistent lab after the JVM that
 * started it has exited: {@code java -cp ... dev.runway.lab.ProxyMain <labDir>}. It reads
 * {@code lab.properties}, runs one {@link DelayProxy} per delayed replica on the recorded port, in
 * front of the primary, then follows the file: changed delays apply within ~20 ms (acknowledged in
 * {@code proxy.applied}); it exits when the file is deleted, or on SIGTERM. Single-threaded control loop.
 */
public final class ProxyMain {
    private ProxyMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: ProxyMain <labDir>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path stateFile = dir.resolve(LabState.FILE);
        LabState st = LabState.load(dir);
        int primaryPort = st.ports().get(st.primary());
        Map<String, DelayProxy> proxies = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : st.upstreamPorts().entrySet()) {
            Duration d = st.delays().getOrDefault(e.getKey(), Duration.ZERO);
            proxies.put(e.getKey(), DelayProxy.start(e.getValue(), "127.0.0.1", primaryPort, d));
            System.out.println("proxy " + e.getKey() + ": 127.0.0.1:" + e.getValue() + " -> " + primaryPort + ", " + d.toMillis() + " ms");
        }
        Files.writeString(dir.resolve(ProxyProcess.APPLIED), ProxyProcess.appliedText(st), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(ProxyProcess.READY), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        FileTime seen = Files.getLastModifiedTime(stateFile);
        while (Files.exists(stateFile)) {
            Thread.sleep(20);
            try {
                FileTime now = Files.getLastModifiedTime(stateFile);
                if (now.equals(seen)) {
                    continue;
                }
                seen = now;
                LabState next = LabState.load(dir);
                next.delays().forEach((n, d) -> {
                    DelayProxy p = proxies.get(n);
                    if (p != null) {
                        p.setDelay(d);
                    }
                });
                Files.writeString(dir.resolve(ProxyProcess.APPLIED), ProxyProcess.appliedText(next), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                // the file is being replaced or was deleted; look again next round
            }
        }
        proxies.values().forEach(DelayProxy::close);
        System.out.println("lab state file gone; exiting");
    }
}
