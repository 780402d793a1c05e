package dev.runway.backup.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backups in a local directory (0700 when Runway creates it), files 0600. A backup is written to a
 * hidden {@code .<name>.partial} file, flushed to disk and renamed when complete, so the name appears
 * only for a whole dump; a killed run leaves only the hidden file.
 */
public final class DirectoryStore implements Store {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private final Path dir;
    private final String source;

    /** @param source the flag or key that named the directory, for errors */
    public DirectoryStore(Path dir, String source) {
        this.dir = dir;
        this.source = source;
    }

    @Override
    public Upload create(String name, Map<String, String> metadata) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            Path partial = dir.resolve("." + name + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, OWNER_ONLY);
            FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE);
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            return new Upload() {
                @Override
                public OutputStream out() {
                    return out;
                }

                @Override
                public void complete() {
                    try {
                        ch.force(true);
                        out.close();
                        move(partial, dir.resolve(name));
                    } catch (IOException e) {
                        throw failure("cannot write " + dir.resolve(name), e);
                    }
                }

                @Override
                public void abort(Throwable cause) {
                    try {
                        out.close();
                        Files.deleteIfExists(partial);
                    } catch (IOException e) {
                        cause.addSuppressed(e);
                    }
                }
            };
        } catch (IOException e) {
            throw failure("cannot write into " + dir, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    @Override
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw RunwayException.usage(source + ": " + dir + " is not a directory");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isRegularFile(p)) {
                    out.add(new Entry(p.getFileName().toString(), Files.size(p)));
                }
            }
        } catch (IOException e) {
            throw failure("cannot list " + dir, e);
        }
        return out;
    }

    @Override
    public Map<String, String> metadata(String name) {
        return Map.of();
    }

    @Override
    public String readText(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read " + dir.resolve(name), e);
        }
    }

    @Override
    public void writeText(String name, String text) {
        Path target = dir.resolve(name);
        Path partial = dir.resolve("." + name + ".partial");
        try {
            Files.deleteIfExists(partial);
            Files.createFile(partial, OWNER_ONLY);
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            move(partial, target);
        } catch (IOException e) {
            throw failure("cannot write " + target, e);
        }
    }

    @Override
    public InputStream open(String name) {
        try {
            return Files.newInputStream(dir.resolve(name));
        } catch (NoSuchFileException e) {
            throw RunwayException.usage(dir.resolve(name) + ": no such backup file");
        } catch (IOException e) {
            throw failure("cannot read " + dir.resolve(name), e);
        }
    }

    @Override
    public long size(String name) {
        try {
            return Files.size(dir.resolve(name));
        } catch (NoSuchFileException e) {
            throw RunwayException.usage(dir.resolve(name) + ": no such backup file");
        } catch (IOException e) {
            throw failure("cannot read " + dir.resolve(name), e);
        }
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe(String name) {
        return dir.resolve(name).toString();
    }

    @Override
    public void close() {
    }

    private RunwayException failure(String what, IOException e) {
        // A full disk may be freed; a permission or path problem is the configuration's.
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean full = msg.contains("No space left");
        return new RunwayException(full ? ErrorCode.TEMPORARY : ErrorCode.USAGE, source + ": " + what + " (" + msg + ")", e);
    }
}
