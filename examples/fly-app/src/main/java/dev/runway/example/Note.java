package dev.runway.example;

import java.time.OffsetDateTime;

/** A note as the API shows it. */
public record Note(long id, String owner, String text, OffsetDateTime createdAt) {
}
