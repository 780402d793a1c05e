package dev.runway.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small multi-region notes service: an instance in every region, one PostgreSQL primary, a read
 * replica next to each instance. It defines no DataSource, filter or metrics bean: the Runway
 * starter makes the region-aware DataSource from the environment Fly sets.
 */
@SpringBootApplication
public class NotesApplication {
    public static void main(String[] args) {
        SpringApplication.run(NotesApplication.class, args);
    }
}
