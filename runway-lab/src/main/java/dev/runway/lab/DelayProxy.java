package dev.runway.lab;

import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that adds a one-way delay to each direction: every chunk read is stamped
 * and written {@code delay} later. Pipelined (many chunks are in flight at once, so the delay does not
 * cap throughput) and order-preserving per direction, like Toxiproxy's latency toxic; accurate to
 * about a millisecond on an idle machine. JDK only; two threads per direction of each connection.
 *
 * <p>Thread-safe: {@link #setDelay} (applies to data read from then on), {@link #retarget},
 * {@link #cutConnections} and {@link #close} may be called from any thread.
 */
public final class DelayProxy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_QUEUED_CHUNKS = 4096;
    private static final byte[] EOF = new byte[0];

    private final ServerSocket server;
    private volatile String targetHost;
    private volatile int targetPort;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile long delayNanos;
    private volatile boolean closed;

    private DelayProxy(ServerSocket server, String targetHost, int targetPort, Duration oneWay) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = oneWay.toNanos();
    }

    /** Starts a proxy on a free port of 127.0.0.1 in front of {@code targetHost:targetPort}. */
    public static DelayProxy start(String targetHost, int targetPort, Duration oneWay) {
        return start(0, targetHost, targetPort, oneWay);
    }

    /**
     * Starts a proxy on {@code listenPort} (0 = any free port) of 127.0.0.1.
     *
     * @throws RunwayException (USAGE) when the port is taken
     */
    public static DelayProxy start(int listenPort, String targetHost, int targetPort, Duration oneWay) {
        if (oneWay.isNegative()) {
            throw RunwayException.usage("delay proxy: one-way delay " + oneWay.toMillis() + " ms is negative");
        }
        ServerSocket ss;
        try {
            ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 128);
        } catch (IOException e) {
            throw RunwayException.usage("delay proxy: cannot listen on 127.0.0.1:" + listenPort + ": " + e.getMessage()
                    + " (pick another port)");
        }
        DelayProxy p = new DelayProxy(ss, targetHost, targetPort, oneWay);
        Thread t = new Thread(p::acceptLoop, "delay-proxy-" + ss.getLocalPort() + "-accept");
        t.setDaemon(true);
        t.start();
        return p;
    }

    /** The port this proxy listens on (127.0.0.1). */
    public int port() {
        return server.getLocalPort();
    }

    public int targetPort() {
        return targetPort;
    }

    /**
     * Sends connections accepted from now on to {@code host:port}; open ones keep their target (call
     * {@link #cutConnections()} to end them). This is how a service address follows a failover: the
     * name stays, what answers behind it changes.
     */
    public void retarget(String host, int port) {
        synchronized (this) {
            targetHost = host;
            targetPort = port;
        }
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /** Changes the one-way delay for data read from now on; data already queued keeps its time. */
    public void setDelay(Duration oneWay) {
        if (oneWay.isNegative()) {
            throw RunwayException.usage("delay proxy: one-way delay " + oneWay.toMillis() + " ms is negative");
        }
        delayNanos = oneWay.toNanos();
    }

    /** Closes every live connection pair (clients see a reset); new connections are still accepted. */
    public void cutConnections() {
        for (Socket s : live) {
            closeQuietly(s);
        }
        live.clear();
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cutConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            String host;
            int port;
            synchronized (this) {
                host = targetHost;
                port = targetPort;
            }
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(host, port), 5000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            live.add(client);
            live.add(upstream);
            if (closed) {
                cutConnections();
                return;
            }
            AtomicInteger open = new AtomicInteger(2);
            pipe(client, upstream, "up", open);
            pipe(upstream, client, "down", open);
        }
    }

    /** One direction: a reader stamps chunks, a writer releases each at its due time. */
    private void pipe(Socket from, Socket to, String dir, AtomicInteger openDirections) {
        BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(MAX_QUEUED_CHUNKS);
        String name = "delay-proxy-" + port() + "-" + from.getPort() + "-" + dir;
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[CHUNK];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (n > 0) {
                        put(queue, new Object[] {System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)}, from);
                    }
                }
                put(queue, new Object[] {System.nanoTime() + delayNanos, EOF}, from);
            } catch (IOException | InterruptedException e) {
                queue.offer(new Object[] {0L, null});
            }
        }, name + "-r");
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Object[] item = queue.take();
                    byte[] data = (byte[]) item[1];
                    if (data == null) {
                        break; // reader failed: the pair is dead
                    }
                    long due = (Long) item[0];
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    if (data == EOF) {
                        to.shutdownOutput();
                        if (openDirections.decrementAndGet() > 0) {
                            return; // the other direction still flows (half-close)
                        }
                        break;
                    }
                    out.write(data);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // peer gone
            }
            closeQuietly(from);
            closeQuietly(to);
            live.remove(from);
            live.remove(to);
        }, name + "-w");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    /** Blocks while the queue is full (back-pressure), but gives up once the pair is closed. */
    private static void put(BlockingQueue<Object[]> queue, Object[] item, Socket from) throws InterruptedException, IOException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (from.isClosed()) {
                throw new IOException("connection closed");
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a dead socket
        }
    }

    @Override
    public String toString() {
        return "DelayProxy[127.0.0.1:" + port() + " -> " + targetHost + ":" + targetPort + ", " + delay().toMillis() + " ms]";
    }
}
