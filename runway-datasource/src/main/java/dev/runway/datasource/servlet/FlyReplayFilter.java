package dev.runway.datasource.servlet;

import dev.runway.datasource.FlyReplay;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Answers a request that failed with SQLSTATE 25006 (a write on the replica) with
 * {@code 409 + fly-replay: region=<primary>;state=captured_write}, so Fly's proxy replays it in the
 * primary region; see {@link FlyReplay} for when it does not (and why no loop is possible).
 * Stateless, thread-safe.
 */
public final class FlyReplayFilter implements Filter {
    private final FlyReplay replay;

    public FlyReplayFilter(FlyReplay replay) {
        this.replay = replay;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        try {
            chain.doFilter(req, res);
        } catch (IOException | ServletException | RuntimeException e) {
            HttpServletRequest http = (HttpServletRequest) req;
            HttpServletResponse out = (HttpServletResponse) res;
            Optional<String> header = replay.headerFor(e, http.getHeader(FlyReplay.SOURCE_HEADER));
            if (header.isEmpty() || out.isCommitted()) {
                throw e;
            }
            out.reset();
            out.setStatus(FlyReplay.STATUS);
            out.setHeader(FlyReplay.HEADER, header.get());
        }
    }
}
