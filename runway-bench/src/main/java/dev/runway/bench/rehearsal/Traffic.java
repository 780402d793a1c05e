package dev.runway.bench.rehearsal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady HTTP load from simulated users, each with its own cookie jar (as a browser keeps the
 * consistency cookie) and a home region. A request goes to a live instance of the user's region,
 * else to any live instance, as Fly's proxy routes; a connection refused by an instance that is
 * stopping is tried once on another one (the proxy does the same), and counted as retried.
 *
 * <p>Each user loops: write a note; read it back by id (must be there with its text, else stale);
 * every third round list its own notes (must include it, else stale); read a random seeded note
 * (must answer with its text: a missing backfill shows here). Every request is a {@link Sample} of the phase current when it started.
 * Thread-safe.
 */
public final class Traffic {
    /** How one request ended. */
    public enum Outcome { OK, FAILED, STALE }

    /** One request: phase, kind, latency, outcome, whether it was retried on another instance. */
    public record Sample(String phase, String kind, long nanos, Outcome outcome, boolean retried, String detail) {
    }

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private final Map<String, List<AppProcess>> live = new HashMap<>();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> users = new ArrayList<>();
    private final int seedRows;
    private final Duration think;
    private volatile String phase;
    private volatile boolean running;

    /** @param firstPhase the phase of the requests sent before the first {@link #phase(String)} call */
    public Traffic(int users, int seedRows, Duration think, List<String> regions, String firstPhase) {
        this.phase = firstPhase;
        this.seedRows = seedRows;
        this.think = think;
        for (int i = 0; i < users; i++) {
            String region = regions.get(i % regions.size());
            int id = i;
            Thread t = new Thread(() -> loop("user-" + id, region), "rehearsal-user-" + i);
            t.setDaemon(true);
            this.users.add(t);
        }
    }

    public synchronized void add(String region, AppProcess p) {
        live.computeIfAbsent(region, r -> new ArrayList<>()).add(p);
    }

    /** Takes {@code p} out of the routing (before it is stopped). */
    public synchronized void remove(AppProcess p) {
        live.values().forEach(l -> l.remove(p));
    }

    public void phase(String name) {
        phase = name;
    }

    public void start() {
        running = true;
        users.forEach(Thread::start);
    }

    /** Stops the users (each finishes its round) and returns every sample. */
    public List<Sample> stop() throws InterruptedException {
        running = false;
        for (Thread t : users) {
            t.join(30_000);
        }
        return new ArrayList<>(samples);
    }

    private synchronized AppProcess pick(String region, AppProcess not) {
        List<AppProcess> home = new ArrayList<>(live.getOrDefault(region, List.of()));
        home.remove(not);
        if (home.isEmpty()) {
            live.values().forEach(home::addAll);
            home.remove(not);
        }
        return home.isEmpty() ? null : home.get(ThreadLocalRandom.current().nextInt(home.size()));
    }

    private void loop(String owner, String region) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(2)).build();
        long round = 0;
        while (running) {
            round++;
            String text = owner + "-note-" + round;
            Result w = send(http, region, "write", "/notes", "{\"owner\":\"" + owner + "\",\"text\":\"" + text + "\"}");
            Matcher m = w.response == null ? null : ID.matcher(w.response.body());
            if (w.response != null && w.response.statusCode() == 201 && m.find()) {
                record("write", w, Outcome.OK, null);
                String id = m.group(1);
                Result r = send(http, region, "own-read", "/notes/" + id, null);
                if (r.response == null || (r.response.statusCode() != 200 && r.response.statusCode() != 404)) {
                    record("own-read", r, Outcome.FAILED, r.describe());
                } else if (r.response.statusCode() == 404 || !r.response.body().contains("\"text\":\"" + text + "\"")) {
                    record("own-read", r, Outcome.STALE, r.describe());
                } else {
                    record("own-read", r, Outcome.OK, null);
                }
                if (round % 3 == 0) {
                    Result l = send(http, region, "own-list", "/notes?owner=" + owner + "&limit=5", null);
                    if (l.response == null || l.response.statusCode() != 200) {
                        record("own-list", l, Outcome.FAILED, l.describe());
                    } else {
                        record("own-list", l, l.response.body().contains("\"id\":" + id + ",") ? Outcome.OK : Outcome.STALE, l.describe());
                    }
                }
            } else {
                record("write", w, Outcome.FAILED, w.describe());
            }
            if (seedRows > 0) {
                // Seeded before any instance started: note k is "seed note k", whichever column holds it now.
                int k = 1 + ThreadLocalRandom.current().nextInt(seedRows);
                Result p = send(http, region, "read", "/notes/" + k, null);
                boolean right = p.response != null && p.response.statusCode() == 200
                        && p.response.body().contains("\"text\":\"seed note " + k + "\"");
                record("read", p, right ? Outcome.OK : Outcome.FAILED, p.describe());
            }
            try {
                Thread.sleep(think.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(String kind, Result r, Outcome o, String detail) {
        samples.add(new Sample(r.phase, kind, r.nanos, o, r.retried, o == Outcome.OK ? null : detail));
    }

    /** A request's answer (or null and the error), its instance, timing and phase. */
    private record Result(String phase, AppProcess to, HttpResponse<String> response, Exception error, long nanos, boolean retried,
                          String path) {
        String describe() {
            String where = (to == null ? "no instance" : to.name()) + " " + path + ": ";
            if (response == null) {
                return where + (error == null ? "no live instance" : error.getClass().getSimpleName() + " " + error.getMessage());
            }
            String body = response.body();
            return where + response.statusCode() + " " + (body.length() > 160 ? body.substring(0, 160) : body);
        }
    }

    private Result send(HttpClient http, String region, String kind, String path, String json) {
        String ph = phase;
        long start = System.nanoTime();
        AppProcess to = pick(region, null);
        boolean retried = false;
        for (int attempt = 0; ; attempt++) {
            if (to == null) {
                return new Result(ph, null, null, null, System.nanoTime() - start, retried, path);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.base() + path)).timeout(Duration.ofSeconds(10));
            if (json == null) {
                b.GET();
            } else {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Result(ph, to, r, null, System.nanoTime() - start, retried, path);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (attempt > 0) {
                    return new Result(ph, to, null, e, System.nanoTime() - start, retried, path);
                }
                retried = true;
                to = pick(region, to);
            } catch (IOException e) {
                return new Result(ph, to, null, e, System.nanoTime() - start, retried, path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(ph, to, null, e, System.nanoTime() - start, retried, path);
            }
        }
    }
}
