package dev.runway.spring.boot;

import dev.runway.core.RunwayException;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.servlet.ConsistencyFilter;
import dev.runway.datasource.servlet.FlyReplayFilter;
import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Registers the two servlet filters of a servlet web application, outermost first so that
 * everything inside them (security, sessions, controllers) runs under them:
 * {@link FlyReplayFilter} at {@link #FLY_REPLAY_ORDER} (it sees a write that reached a replica,
 * wherever it failed, and answers with fly-replay), then {@link ConsistencyFilter} at
 * {@link #CONSISTENCY_ORDER} (each request reads at least what its client wrote before, on any
 * instance). Start-up fails when the consistency filter is on, this instance reads from a replica
 * and no token secret is set: the filter would do nothing.
 */
@AutoConfiguration(after = RunwayDataSourceAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Filter.class, FilterRegistrationBean.class})
@ConditionalOnBean(RunwayDataSource.class)
public class RunwayServletAutoConfiguration {
    /** Order of the fly-replay filter: just inside Spring Boot's character-encoding filter. */
    public static final int FLY_REPLAY_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    /** Order of the consistency filter: inside fly-replay, outside Spring Session and Spring Security. */
    public static final int CONSISTENCY_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    @ConditionalOnProperty(prefix = "runway.consistency-filter", name = "enabled", matchIfMissing = true)
    FilterRegistrationBean<ConsistencyFilter> runwayConsistencyFilter(RunwayDataSource ds) {
        ConsistencyFilter filter;
        try {
            filter = new ConsistencyFilter(ds);
        } catch (RunwayException e) {
            // The filter's own refusal (no token secret where reads use a replica), plus the switch.
            throw new RunwayException(e.code(), e.getMessage() + " (runway.token-secret), or turn the filter off with "
                    + "runway.consistency-filter.enabled=false");
        }
        FilterRegistrationBean<ConsistencyFilter> r = new FilterRegistrationBean<>(filter);
        r.setName("runwayConsistencyFilter");
        r.setOrder(CONSISTENCY_ORDER);
        return r;
    }

    @Bean
    @ConditionalOnProperty(prefix = "runway.fly-replay-filter", name = "enabled", matchIfMissing = true)
    FilterRegistrationBean<FlyReplayFilter> runwayFlyReplayFilter(RunwayDataSource ds) {
        FilterRegistrationBean<FlyReplayFilter> r = new FilterRegistrationBean<>(new FlyReplayFilter(ds.flyReplay()));
        r.setName("runwayFlyReplayFilter");
        r.setOrder(FLY_REPLAY_ORDER);
        return r;
    }
}
