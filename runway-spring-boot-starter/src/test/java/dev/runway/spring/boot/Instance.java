package dev.runway.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.lab.junit.LabExtension;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Test helper: one Spring Boot application instance (its own context, Tomcat and RunwayDataSource) in this JVM. */
final class Instance implements AutoCloseable {
    static final String SECRET = "starter-test-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    final ConfigurableApplicationContext ctx;
    final String base;

    private Instance(ConfigurableApplicationContext ctx) {
        this.ctx = ctx;
        this.base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    }

    /** Starts {@code app} as a web application with these properties (plus a random port and actuator endpoints). */
    static Instance start(Class<?> app, Map<String, Object> props) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("management.endpoints.web.exposure.include", "health,metrics");
        all.put("management.endpoint.health.show-details", "always");
        all.put("spring.main.banner-mode", "off");
        all.putAll(props);
        return new Instance(new SpringApplicationBuilder(app).properties(all).run());
    }

    /** Properties of an instance in {@code region} (primary region "ams"); "syd" reads from {@code replica}. */
    static Map<String, Object> region(LabExtension lab, String region, String replica) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runway.database-url", lab.url().toUnmaskedString());
        p.put("runway.region", region);
        p.put("runway.primary-region", "ams");
        if (replica != null) {
            p.put("runway.replica-url", lab.url(lab.lab().node(replica)).toUnmaskedString());
        }
        p.put("runway.token-secret", SECRET);
        return p;
    }

    /** A browser-like client: keeps cookies (one per simulated user). */
    static HttpClient user() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client that keeps no cookies. */
    static HttpClient forgetful() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> get(HttpClient client, String path) {
        return send(client, HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    HttpResponse<String> post(HttpClient client, String path) {
        return send(client, HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + r.body(), e);
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder b) {
        try {
            return client.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    <T> T bean(Class<T> type) {
        return ctx.getBean(type);
    }

    @Override
    public void close() {
        ctx.close();
    }
}
