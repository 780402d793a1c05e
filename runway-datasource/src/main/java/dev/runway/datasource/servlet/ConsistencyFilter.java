package dev.runway.datasource.servlet;

import dev.runway.core.RunwayException;
import dev.runway.datasource.ConsistencySession;
import dev.runway.datasource.RegionConfig;
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
 *
 * <p>Tokens need {@link RegionConfig#tokenSecret()}: without one the filter could neither issue nor
 * honour a token, and an instance that reads from a replica would serve a user's next request
 * without waiting for their write. Such an instance refuses to create the filter.
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

    /**
     * @throws RunwayException (USAGE) when {@code ds} reads from a replica and has no token secret:
     *     the filter would silently do nothing
     */
    public ConsistencyFilter(RunwayDataSource ds) {
        RegionConfig c = ds.config();
        if (!c.hasTokenSecret() && c.hasReplica()) {
            throw RunwayException.usage("the consistency filter needs " + RegionConfig.TOKEN_SECRET + ": this instance"
                    + (c.region() == null ? "" : " (" + RegionConfig.FLY_REGION + "=" + c.region() + ", " + RegionConfig.PRIMARY_REGION
                    + "=" + c.primaryRegion() + ")") + " reads from a replica, and without a secret no token is issued or honoured, "
                    + "so a user's next request would not wait for their write. Set the same secret on every instance: "
                    + "fly secrets set " + RegionConfig.TOKEN_SECRET + "=$(openssl rand -base64 32)");
        }
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
