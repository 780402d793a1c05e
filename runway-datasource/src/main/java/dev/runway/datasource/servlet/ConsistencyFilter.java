package dev.runway.datasource.servlet;

import dev.runway.datasource.ConsistencySession;
import dev.runway.datasource.RunwayDataSource;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Carries read-your-writes across requests, instances and regions. For each request it binds a
 * fresh {@link ConsistencySession}, seeded from the {@code Runway-Min-LSN} header or the
 * {@code runway_lsn} cookie (a signed token; a bad or foreign one is ignored); after each write
 * committed during the request it sets the new token as cookie and {@code Runway-LSN} header,
 * while the response can still take headers. Stateless, thread-safe.
 */
public final class ConsistencyFilter implements Filter {
    /** Cookie that browsers send back. */
    public static final String COOKIE = "runway_lsn";
    /** Response header for API clients. */
    public static final String RESPONSE_HEADER = "Runway-LSN";
    /** Request header API clients send back. */
    public static final String REQUEST_HEADER = "Runway-Min-LSN";
    private static final int COOKIE_MAX_AGE_SECONDS = 300;

    private final RunwayDataSource ds;

    public ConsistencyFilter(RunwayDataSource ds) {
        this.ds = ds;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) req;
        HttpServletResponse out = (HttpServletResponse) res;
        ConsistencySession session = new ConsistencySession();
        try (RunwayDataSource.Scope scope = ds.bind(session)) {
            ds.acceptToken(incomingToken(http));
            session.onWrite(lsn -> {
                if (!out.isCommitted()) {
                    ds.issueToken().ifPresent(t -> {
                        Cookie c = new Cookie(COOKIE, t);
                        c.setHttpOnly(true);
                        c.setPath("/");
                        c.setMaxAge(COOKIE_MAX_AGE_SECONDS);
                        c.setSecure(http.isSecure());
                        c.setAttribute("SameSite", "Lax");
                        out.addCookie(c);
                        out.setHeader(RESPONSE_HEADER, t);
                    });
                }
            });
            chain.doFilter(req, res);
        }
    }

    private static String incomingToken(HttpServletRequest http) {
        String h = http.getHeader(REQUEST_HEADER);
        if (h != null && !h.isBlank()) {
            return h;
        }
        Cookie[] cookies = http.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }
}
