package dev.runway.spring.boot.internal;

import dev.runway.core.RunwayException;
import dev.runway.datasource.RunwayDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.hibernate.ConnectionReleaseMode;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.resource.jdbc.spi.PhysicalConnectionHandlingMode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.orm.jpa.EntityManagerFactoryInfo;

/**
 * Refuses to start when a Hibernate {@code EntityManagerFactory} on the {@link RunwayDataSource}
 * releases its connection before the session closes. Spring's {@code HibernateJpaDialect} calls
 * {@code Connection.setReadOnly(true)} for {@code @Transactional(readOnly = true)} only when the
 * release mode is {@code ON_CLOSE} (Spring's and Spring Boot's default,
 * {@code DELAYED_ACQUISITION_AND_HOLD}); under any other mode every read-only transaction goes to
 * the primary and a write inside one commits. Runs once all singletons exist.
 */
public final class HibernateConnectionHandlingCheck implements SmartInitializingSingleton {
    private final ObjectProvider<EntityManagerFactory> factories;

    public HibernateConnectionHandlingCheck(ObjectProvider<EntityManagerFactory> factories) {
        this.factories = factories;
    }

    @Override
    public void afterSingletonsInstantiated() {
        factories.orderedStream().forEach(HibernateConnectionHandlingCheck::check);
    }

    static void check(EntityManagerFactory emf) {
        if (emf instanceof EntityManagerFactoryInfo info && !isRunway(info.getDataSource())) {
            return;
        }
        SessionFactoryImplementor sf;
        try {
            sf = emf.unwrap(SessionFactoryImplementor.class);
        } catch (RuntimeException notHibernate) {
            return;
        }
        PhysicalConnectionHandlingMode mode = sf.getSessionFactoryOptions().getPhysicalConnectionHandlingMode();
        if (mode != null && mode.getReleaseMode() != ConnectionReleaseMode.ON_CLOSE) {
            throw RunwayException.usage("Hibernate's connection handling mode " + mode + " (hibernate.connection.handling_mode) "
                    + "releases the connection " + mode.getReleaseMode() + ", so Spring never calls setReadOnly(true): every "
                    + "@Transactional(readOnly = true) read would go to the primary and a write inside one would commit. "
                    + "Remove spring.jpa.properties.hibernate.connection.handling_mode (Spring's default is "
                    + "DELAYED_ACQUISITION_AND_HOLD) or set it to DELAYED_ACQUISITION_AND_HOLD");
        }
    }

    private static boolean isRunway(DataSource ds) {
        if (ds == null) {
            return false;
        }
        if (ds instanceof RunwayDataSource) {
            return true;
        }
        try {
            return ds.isWrapperFor(RunwayDataSource.class);
        } catch (SQLException e) {
            return false;
        }
    }
}
