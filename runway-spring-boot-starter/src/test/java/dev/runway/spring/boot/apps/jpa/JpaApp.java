package dev.runway.spring.boot.apps.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Table;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot JPA web application (Spring Data repository, Hibernate, open-in-view on as Boot
 * leaves it), no Runway bean definitions. Entity {@code Counter} on table {@code counters(id, v)}.
 */
@SpringBootApplication
@EnableJpaRepositories(considerNestedRepositories = true)
public class JpaApp {
    /** A row of {@code counters}. */
    @Entity
    @Table(name = "counters")
    public static class Counter {
        @Id
        private Integer id;
        private long v;

        protected Counter() {
        }

        public Counter(int id, long v) {
            this.id = id;
            this.v = v;
        }

        public long getV() {
            return v;
        }

        public void setV(long v) {
            this.v = v;
        }
    }

    /** Spring Data: findById runs in a read-only transaction of SimpleJpaRepository. */
    public interface Counters extends JpaRepository<Counter, Integer> {
    }

    /** Service methods in read-write and read-only transactions. */
    @Service
    public static class CounterService {
        private final Counters counters;
        @PersistenceContext
        private EntityManager em;

        public CounterService(Counters counters) {
            this.counters = counters;
        }

        @Transactional
        public void set(int id, long v) {
            Counter c = counters.findById(id).orElseThrow();
            c.setV(v);
        }

        /** The value and whether it came from a replica, in one read-only transaction. */
        @Transactional(readOnly = true)
        public Map<String, Object> get(int id) {
            long v = counters.findById(id).orElseThrow().getV();
            boolean onReplica = (Boolean) em.createNativeQuery("SELECT pg_is_in_recovery()").getSingleResult();
            return Map.of("v", v, "on_replica", onReplica);
        }

        /** A new row saved inside a read-only transaction. */
        @Transactional(readOnly = true)
        public void insertReadOnly(int id, long v) {
            counters.saveAndFlush(new Counter(id, v));
        }
    }

    /** HTTP: POST /counters/{id}?v=N, GET /counters/{id}, POST /counters/{id}/read-only?v=N, GET /repo/{id}. */
    @RestController
    public static class CounterController {
        private final CounterService service;
        private final Counters counters;

        public CounterController(CounterService service, Counters counters) {
            this.service = service;
            this.counters = counters;
        }

        @PostMapping("/counters/{id}")
        public String set(@PathVariable("id") int id, @RequestParam("v") long v) {
            service.set(id, v);
            return "ok";
        }

        @GetMapping("/counters/{id}")
        public Map<String, Object> get(@PathVariable("id") int id) {
            return service.get(id);
        }

        /** Straight from the repository (its own read-only transaction), no service around it. */
        @GetMapping("/repo/{id}")
        public long repo(@PathVariable("id") int id) {
            return counters.findById(id).orElseThrow().getV();
        }

        @PostMapping("/counters/{id}/read-only")
        public String insertReadOnly(@PathVariable("id") int id, @RequestParam("v") long v) {
            service.insertReadOnly(id, v);
            return "ok";
        }
    }
}
