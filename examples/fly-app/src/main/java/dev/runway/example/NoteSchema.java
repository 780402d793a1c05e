package dev.runway.example;

/**
 * The column that holds a note's text, which is what changes between this app's releases (the
 * expand/contract way to rename {@code body} to {@code content}):
 * <ul>
 * <li>v1 reads and writes {@code body};</li>
 * <li>v2 (released with migrations that add {@code content}, keep both in step on insert, and
 *     backfill it) reads and writes {@code content} only;</li>
 * <li>v3 (released with the migration that drops {@code body}) is v2's code.</li>
 * </ul>
 * A real project has one of these per commit; the example keeps them side by side, chosen by
 * {@code app.release} ({@code APP_RELEASE}), so that the rolling-deploy rehearsal can run each
 * release as it was.
 */
enum NoteSchema {
    V1("body"), V2("content"), V3("content");

    final String textColumn;

    NoteSchema(String textColumn) {
        this.textColumn = textColumn;
    }
}
