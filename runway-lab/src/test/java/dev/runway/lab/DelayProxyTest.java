package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DelayProxy against an in-process echo server: delay per direction, pipelining, order, run-time knobs. */
class DelayProxyTest {
    private ServerSocket echo;
    private Thread echoThread;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    s.setTcpNoDelay(true);
                    Thread t = new Thread(() -> {
                        byte[] buf = new byte[65536];
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            for (int n; (n = in.read(buf)) > 0; ) {
                                out.write(buf, 0, n);
                            }
                        } catch (IOException e) {
                            // client gone
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    private static double rttMillis(Socket s, int samples) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            out.write(i & 0x7f);
            out.flush();
            assertThat(in.read()).isEqualTo(i & 0x7f);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[samples / 2];
    }

    @Test
    void roundTripIsTwiceTheOneWayDelayAndFollowsSetDelay() throws IOException {
        try (DelayProxy p = DelayProxy.start("127.0.0.1", echo.getLocalPort(), Duration.ofMillis(15));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
            s.setTcpNoDelay(true);
            assertThat(rttMillis(s, 15)).isBetween(30.0, 45.0);
            p.setDelay(Duration.ofMillis(2));
            rttMillis(s, 2); // data stamped under the old delay drains
            assertThat(rttMillis(s, 25)).isBetween(4.0, 12.0);
            p.setDelay(Duration.ZERO);
            rttMillis(s, 2);
            assertThat(rttMillis(s, 25)).isLessThan(3.0);
        }
    }

    @Test
    void delayDoesNotCapThroughputAndKeepsOrder() throws Exception {
        int chunks = 400;
        try (DelayProxy p = DelayProxy.start("127.0.0.1", echo.getLocalPort(), Duration.ofMillis(50));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            long t0 = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = new byte[4096];
                    for (int i = 0; i < chunks; i++) {
                        Arrays.fill(chunk, (byte) i);
                        out.write(chunk);
                        out.flush();
                        Thread.sleep(0, 200_000);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            byte[] got = new byte[4096];
            for (int i = 0; i < chunks; i++) {
                in.readFully(got);
                for (byte b : got) {
                    assertThat(b).isEqualTo((byte) i);
                }
            }
            writer.join();
            double ms = (System.nanoTime() - t0) / 1e6;
            // 400 sequential round trips would take 40 s; pipelined it is ~2 x 50 ms plus the sending time
            assertThat(ms).isLessThan(2000.0).isGreaterThanOrEqualTo(100.0);
        }
    }

    @Test
    void cutConnectionsDropsLivePairsButKeepsListening() throws IOException {
        try (DelayProxy p = DelayProxy.start("127.0.0.1", echo.getLocalPort(), Duration.ZERO);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
            rttMillis(s, 1);
            p.cutConnections();
            s.setSoTimeout(5000);
            int r;
            try {
                s.getOutputStream().write(1);
                r = s.getInputStream().read();
            } catch (IOException e) {
                r = -1;
            }
            assertThat(r).isEqualTo(-1);
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
                assertThat(rttMillis(again, 3)).isLessThan(50.0);
            }
        }
    }

    @Test
    void closeEndsLiveConnectionsAndTakenPortIsAUsageError() throws IOException {
        DelayProxy p = DelayProxy.start("127.0.0.1", echo.getLocalPort(), Duration.ZERO);
        Socket live = new Socket(InetAddress.getLoopbackAddress(), p.port());
        rttMillis(live, 1);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> DelayProxy.start(taken.getLocalPort(), "127.0.0.1", echo.getLocalPort(), Duration.ZERO))
                    .isInstanceOf(RunwayException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE));
        }
        p.close();
        // (not probing the port: on a busy machine another process may take it at once)
        live.setSoTimeout(5000);
        int r;
        try {
            r = live.getInputStream().read();
        } catch (IOException e) {
            r = -1;
        }
        assertThat(r).as("live connection closed with the proxy").isEqualTo(-1);
        live.close();
        assertThatThrownBy(() -> p.setDelay(Duration.ofMillis(-1))).isInstanceOf(RunwayException.class);
    }
}
