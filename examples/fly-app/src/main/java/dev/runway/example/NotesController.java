package dev.runway.example;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API: {@code POST /notes {"owner", "text"}}, {@code GET /notes/{id}},
 * {@code GET /notes?owner=...}, and {@code GET /} (which release and region answered).
 */
@RestController
public class NotesController {
    private final Notes notes;
    private final String region;

    public NotesController(Notes notes, @Value("${runway.region:local}") String region) {
        this.notes = notes;
        this.region = region;
    }

    /** A new note's fields. */
    public record NewNote(String owner, String text) {
    }

    @PostMapping("/notes")
    public ResponseEntity<Note> add(@RequestBody NewNote n) {
        if (n.owner() == null || n.owner().isBlank() || n.text() == null) {
            return ResponseEntity.badRequest().build();
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(notes.add(n.owner(), n.text()));
    }

    @GetMapping("/notes/{id}")
    public ResponseEntity<Note> find(@PathVariable long id) {
        return ResponseEntity.of(notes.find(id));
    }

    @GetMapping("/notes")
    public List<Note> byOwner(@RequestParam String owner, @RequestParam(defaultValue = "20") int limit) {
        return notes.byOwner(owner, Math.min(Math.max(limit, 1), 100));
    }

    @GetMapping("/")
    public Map<String, String> about() {
        return Map.of("app", "runway fly-app notes", "release", notes.release(), "region", region);
    }
}
