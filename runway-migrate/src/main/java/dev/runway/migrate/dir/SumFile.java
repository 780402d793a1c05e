package dev.runway.migrate.dir;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.internal.Checksums;
import dev.runway.migrate.dir.internal.DirectoryListing;
import dev.runway.migrate.dir.internal.SourceText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code runway.sum}: the integrity file of a migration directory, modelled on Atlas's
 * {@code atlas.sum}. It catches files edited after they were committed and two branches that both
 * added migrations (the cumulative hashes make every line after an inserted file change, and the
 * textual conflict in runway.sum makes a merge visible).
 *
 * <h2>Format (never changes without a new {@code h2:} prefix)</h2>
 * <pre>
 * h1:&lt;T&gt;
 * &lt;path 1&gt; h1:&lt;C1&gt;
 * &lt;path 2&gt; h1:&lt;C2&gt;
 * ...
 * </pre>
 * <ul>
 *   <li>One line per migration file, in version order, an up file before its down file. A path is
 *       relative to the directory with {@code /} ({@code 20250301120000_x.sql}, {@code 1_x/up.sql}).
 *       Files of the {@code data/} subfolder are not listed: that directory has its own runway.sum.</li>
 *   <li>{@code C0} is the empty byte string; {@code Ci = SHA-256(C(i-1) || SHA-256(Ni))}, where
 *       {@code Ni} is file i's content normalized (leading UTF-8 BOM dropped, CRLF → LF).</li>
 *   <li>{@code T = SHA-256} of the UTF-8 bytes of every line after the first, each followed by LF.</li>
 *   <li>Hashes are standard Base64 with padding; lines end with LF (CRLF is accepted when reading).</li>
 * </ul>
 * An instance is one parsed runway.sum (or the absent one). Immutable.
 */
public final class SumFile {
    public static final String NAME = "runway.sum";
    private static final String H1 = "h1:";

    /**
     * One file line.
     *
     * @param file the path relative to the directory, with {@code /}
     * @param hash the cumulative hash, {@code h1:<base64>}
     * @param line the 1-based line in runway.sum
     */
    public record Entry(String file, String hash, int line) {
    }

    private final Path path;
    private final boolean present;
    private final String total;
    private final List<Entry> entries;
    private final List<String> lines;

    private SumFile(Path path, boolean present, String total, List<Entry> entries, List<String> lines) {
        this.path = path;
        this.present = present;
        this.total = total;
        this.entries = Collections.unmodifiableList(entries);
        this.lines = lines;
    }

    /**
     * Reads {@code dir/runway.sum}; when there is none, returns an instance with {@link #present()} false.
     *
     * @throws SumFileException when it is malformed, naming the line
     */
    public static SumFile read(Path dir) {
        Path path = dir.resolve(NAME);
        if (!Files.isRegularFile(path)) {
            return new SumFile(path, false, null, List.of(), List.of());
        }
        String text = new String(SourceText.normalize(SourceText.readBytes(path, path.toString())), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty() || !isHash(lines.get(0))) {
            throw new SumFileException(path + ": line 1 is malformed (expected 'h1:<base64>'); run 'runway hash' to rewrite it",
                    null, 1);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            int sp = l.lastIndexOf(' ');
            if (sp <= 0 || !isHash(l.substring(sp + 1))) {
                throw new SumFileException(path + ": line " + (i + 1) + " is malformed (expected '<file> h1:<base64>'); "
                        + "run 'runway hash' to rewrite it", null, i + 1);
            }
            entries.add(new Entry(l.substring(0, sp), l.substring(sp + 1), i + 1));
        }
        return new SumFile(path, true, lines.get(0), entries, lines.subList(1, lines.size()));
    }

    private static boolean isHash(String s) {
        if (!s.startsWith(H1) || s.length() == H1.length()) {
            return false;
        }
        // base64 of 32 bytes: 43 alphabet characters and one '=' (what the decoder accepts, without decoding)
        if (s.length() != H1.length() + 44 || s.charAt(s.length() - 1) != '=') {
            return false;
        }
        for (int i = H1.length(); i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** Where runway.sum is (or would be). */
    public Path path() {
        return path;
    }

    /** False when the directory has no runway.sum. */
    public boolean present() {
        return present;
    }

    /** The first line, {@code h1:<base64>}; null when absent. */
    public String total() {
        return total;
    }

    /** The file lines in order; empty when absent. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * The text of a fresh runway.sum for {@code files} (paths inside {@code dir}, absolute or relative
     * to it), which are put in version order.
     */
    public static String render(Path dir, List<Path> files) {
        List<String> rels = new ArrayList<>();
        for (Path f : files) {
            Path rel;
            if (f.startsWith(dir)) {
                rel = dir.relativize(f);
            } else if (f.isAbsolute()) {
                rel = dir.toAbsolutePath().normalize().relativize(f.normalize());
            } else {
                rel = f;
            }
            rels.add(DirectoryListing.slashed(rel));
        }
        rels.sort(DirectoryListing.fileOrder());
        StringBuilder body = new StringBuilder();
        byte[] cumulative = new byte[0];
        for (String rel : rels) {
            Path p = dir.resolve(rel);
            byte[] content = SourceText.normalize(SourceText.readBytes(p, p.toString()));
            cumulative = Checksums.sha256(cumulative, Checksums.sha256(content));
            body.append(rel).append(' ').append(H1).append(b64(cumulative)).append('\n');
        }
        String b = body.toString();
        return H1 + b64(Checksums.sha256(b.getBytes(StandardCharsets.UTF_8))) + "\n" + b;
    }

    /**
     * A new temp file next to {@code target} with the mode {@code target} has, or, for a first
     * runway.sum, the mode of any new file (0666 less the umask). Files.createTempFile would make it
     * 0600, and a container running as another user could not read the runway.sum it ships.
     */
    private static Path createLikeTarget(Path dir, Path target) throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; ; i++) {
            Path tmp = dir.resolve("." + NAME + "." + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
            try {
                Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW).close();
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i < 10) {
                    continue;
                }
                throw e;
            }
            if (Files.exists(target)) {
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system's defaults apply
                }
            }
            return tmp;
        }
    }

    /** {@code runway hash}: recomputes runway.sum for the directory's migration files and replaces it atomically. */
    public static void write(Path dir) {
        String text = render(dir, files(dir));
        Path target = dir.resolve(NAME);
        Path tmp = null;
        try {
            tmp = createLikeTarget(dir, target);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, target + ": cannot write (" + e + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: the temp file is a dot file that loading ignores
                }
            }
        }
    }

    /**
     * Checks runway.sum against the directory's files.
     *
     * @throws SumFileException (INTEGRITY) naming the first offending file: runway.sum missing or
     *                          malformed, a file edited, a file not listed, a listed file missing, files reordered
     */
    public static void verify(Path dir) {
        SumFile sum = readChecked(dir);
        List<String> actualFiles = new ArrayList<>();
        List<String> actualHashes = new ArrayList<>();
        String[] freshLines = render(dir, files(dir)).split("\n");
        for (int i = 1; i < freshLines.length; i++) {
            int sp = freshLines[i].lastIndexOf(' ');
            actualFiles.add(freshLines[i].substring(0, sp));
            actualHashes.add(freshLines[i].substring(sp + 1));
        }
        compare(sum, actualFiles, actualHashes);
    }

    /**
     * {@link #verify(Path)} for files already read: {@code names} are the migration files relative to
     * {@code dir} in version order (up before down), {@code contentHashes} the SHA-256 of each one's
     * normalized bytes. Saves reading and hashing every file a second time on each release.
     */
    public static void verify(Path dir, List<String> names, List<byte[]> contentHashes) {
        SumFile sum = readChecked(dir);
        List<String> hashes = new ArrayList<>(names.size());
        byte[] cumulative = new byte[0];
        for (byte[] h : contentHashes) {
            cumulative = Checksums.sha256(cumulative, h);
            hashes.add(H1 + b64(cumulative));
        }
        compare(sum, names, hashes);
    }

    private static SumFile readChecked(Path dir) {
        MigrationDirectory.requireDirectory(dir);
        SumFile sum = read(dir);
        if (!sum.present()) {
            throw new SumFileException(sum.path() + ": not found; run 'runway hash' to create it", null, 0);
        }
        StringBuilder body = new StringBuilder();
        for (String l : sum.lines) {
            body.append(l).append('\n');
        }
        if (!sum.total().equals(H1 + b64(Checksums.sha256(body.toString().getBytes(StandardCharsets.UTF_8))))) {
            throw new SumFileException(sum.path() + ": line 1 does not match the lines below (edited by hand or merged?); "
                    + "check the migration files, then run 'runway hash'", null, 1);
        }
        return sum;
    }

    private static void compare(SumFile sum, List<String> actualFiles, List<String> actualHashes) {
        Path path = sum.path();
        Set<String> listed = new HashSet<>();
        for (Entry e : sum.entries()) {
            listed.add(e.file());
        }
        Set<String> onDisk = new HashSet<>(actualFiles);
        int n = Math.max(actualFiles.size(), sum.entries().size());
        for (int i = 0; i < n; i++) {
            Entry e = i < sum.entries().size() ? sum.entries().get(i) : null;
            String f = i < actualFiles.size() ? actualFiles.get(i) : null;
            if (e != null && e.file().equals(f)) {
                if (!e.hash().equals(actualHashes.get(i))) {
                    throw new SumFileException(path + ": " + f + " was edited after runway.sum was written (line " + e.line()
                            + "; run 'runway hash' if the edit is intended)", f, e.line());
                }
                continue;
            }
            if (f != null && !listed.contains(f)) {
                throw new SumFileException(path + ": " + f + " is not in runway.sum (added after it was written, or merged "
                        + "from another branch); check its version, then run 'runway hash'", f, 0);
            }
            if (e != null && !onDisk.contains(e.file())) {
                throw new SumFileException(path + ": " + e.file() + " is listed (line " + e.line() + ") but missing; "
                        + "restore it, or run 'runway hash' if it was removed on purpose", e.file(), e.line());
            }
            if (f == null) {
                throw new SumFileException(path + ": " + e.file() + " is listed twice (line " + e.line()
                        + "); run 'runway hash' to rewrite runway.sum", e.file(), e.line());
            }
            throw new SumFileException(path + ": " + f + " is out of order compared with runway.sum (line " + e.line()
                    + " lists " + e.file() + "); check the versions, then run 'runway hash'", f, e.line());
        }
    }

    /** The migration files of {@code dir}, up before down, in version order. */
    private static List<Path> files(Path dir) {
        MigrationDirectory.requireDirectory(dir);
        List<Path> files = new ArrayList<>();
        for (DirectoryListing.Source s : DirectoryListing.list(dir)) {
            files.add(s.upFile());
            if (s.downFile() != null) {
                files.add(s.downFile());
            }
        }
        return files;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
