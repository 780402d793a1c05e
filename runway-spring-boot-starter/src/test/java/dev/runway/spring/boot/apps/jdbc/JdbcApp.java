package dev.runway.spring.boot.apps.jdbc;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring Boot JDBC web application, as a team would write it: JdbcClient, a service with
 * {@code @Transactional} and {@code @Transactional(readOnly = true)}, no Runway bean definitions.
 * Table {@code kv(id int primary key, v bigint)}.
 */
@SpringBootApplication(excludeName = {
    "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
    "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration"})
public class JdbcApp {
    /** Reads and writes of the kv table. */
    @Service
    public static class Kv {
        private final JdbcClient jdbc;

        public Kv(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        public void set(int id, long v) {
            jdbc.sql("UPDATE kv SET v = ? WHERE id = ?").params(v, id).update();
        }

        /** The value and whether it came from a replica. */
        @Transactional(readOnly = true)
        public Map<String, Object> get(int id) {
            return jdbc.sql("SELECT v, pg_is_in_recovery() AS on_replica FROM kv WHERE id = ?").param(id).query().singleRow();
        }

        /** A write attempted in a read-only transaction. */
        @Transactional(readOnly = true)
        public void setReadOnly(int id, long v) {
            jdbc.sql("UPDATE kv SET v = ? WHERE id = ?").params(v, id).update();
        }
    }

    /** HTTP: POST /kv/{id}?v=N, GET /kv/{id}, POST /kv/{id}/read-only?v=N. */
    @RestController
    public static class KvController {
        private final Kv kv;

        public KvController(Kv kv) {
            this.kv = kv;
        }

        @PostMapping("/kv/{id}")
        public String set(@PathVariable("id") int id, @RequestParam("v") long v) {
            kv.set(id, v);
            return "ok";
        }

        @GetMapping("/kv/{id}")
        public Map<String, Object> get(@PathVariable("id") int id) {
            return kv.get(id);
        }

        @PostMapping("/kv/{id}/read-only")
        public String setReadOnly(@PathVariable("id") int id, @RequestParam("v") long v) {
            kv.setReadOnly(id, v);
            return "ok";
        }
    }
}
