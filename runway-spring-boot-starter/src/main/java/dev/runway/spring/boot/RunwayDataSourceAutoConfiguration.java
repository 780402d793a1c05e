package dev.runway.spring.boot;

import dev.runway.datasource.RunwayDataSource;
import dev.runway.spring.boot.internal.RegionConfigs;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Makes a {@link RunwayDataSource} the application's {@code DataSource}, configured from the
 * {@code runway.*} properties and the environment Fly sets (see {@link RunwayProperties}). Runs
 * before Spring Boot's own DataSource auto-configuration, which then backs off; JdbcTemplate,
 * transaction managers and JPA use it as they would any DataSource. An application that defines
 * its own {@code DataSource} bean keeps it. Off with {@code runway.datasource.enabled=false}.
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnProperty(prefix = "runway.datasource", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RunwayProperties.class)
public class RunwayDataSourceAutoConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    RunwayDataSource dataSource(RunwayProperties properties) {
        return RunwayDataSource.create(RegionConfigs.from(properties));
    }
}
