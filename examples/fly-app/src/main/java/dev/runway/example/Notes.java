package dev.runway.example;

import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Notes in PostgreSQL through plain Spring JDBC. Writes run in read-write transactions (the
 * primary); reads in read-only ones, which the Runway DataSource sends to the local replica once it
 * has replayed what this user wrote before.
 */
@Service
public class Notes {
    private final JdbcClient jdbc;
    private final NoteSchema release;
    private final String select;

    public Notes(JdbcClient jdbc, @Value("${app.release:v3}") String release) {
        this.jdbc = jdbc;
        this.release = NoteSchema.valueOf(release.toUpperCase(java.util.Locale.ROOT));
        this.select = "SELECT id, owner, " + this.release.textColumn + " AS text, created_at FROM notes ";
    }

    public String release() {
        return release.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Transactional
    public Note add(String owner, String text) {
        return jdbc.sql("INSERT INTO notes (owner, " + release.textColumn + ") VALUES (?, ?) "
                        + "RETURNING id, owner, " + release.textColumn + " AS text, created_at")
                .params(owner, text).query(Note.class).single();
    }

    @Transactional(readOnly = true)
    public Optional<Note> find(long id) {
        return jdbc.sql(select + "WHERE id = ?").param(id).query(Note.class).optional();
    }

    @Transactional(readOnly = true)
    public List<Note> byOwner(String owner, int limit) {
        return jdbc.sql(select + "WHERE owner = ? ORDER BY id DESC LIMIT ?").params(owner, limit).query(Note.class).list();
    }
}
