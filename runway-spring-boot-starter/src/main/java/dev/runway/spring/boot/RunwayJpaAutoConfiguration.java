package dev.runway.spring.boot;

import dev.runway.datasource.RunwayDataSource;
import dev.runway.spring.boot.internal.HibernateConnectionHandlingCheck;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.orm.jpa.EntityManagerFactoryInfo;

/**
 * With Hibernate and Spring's JPA support present, checks at start-up that Hibernate's connection
 * handling lets {@code @Transactional(readOnly = true)} reach the replica (see
 * {@link HibernateConnectionHandlingCheck}); start-up fails otherwise.
 */
@AutoConfiguration(after = RunwayDataSourceAutoConfiguration.class)
@ConditionalOnClass({EntityManagerFactory.class, SessionFactoryImplementor.class, EntityManagerFactoryInfo.class})
@ConditionalOnBean(RunwayDataSource.class)
public class RunwayJpaAutoConfiguration {
    @Bean
    HibernateConnectionHandlingCheck runwayHibernateConnectionHandlingCheck(ObjectProvider<EntityManagerFactory> factories) {
        return new HibernateConnectionHandlingCheck(factories);
    }
}
