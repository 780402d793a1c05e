package dev.runway.bench.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Copies a migration directory out of a fetched snapshot (a bare git directory under the mirror root,
 * {@code <mirror>/<owner>+<name>/repo}) with {@code git archive}, so the harness reads the files exactly
 * as committed. Nothing of it is ever written inside the project. Stateless.
 */
final class Snapshot {
    private Snapshot() {
    }

    /** The exported directory and the full commit it came from. */
    record Export(Path dir, String commit) {
    }

    static Export export(Path mirror, String repo, String commit, String path, Path into) throws IOException, InterruptedException {
        Path gitDir = mirror.resolve(repo.replace('/', '+')).resolve("repo");
        if (!Files.isDirectory(gitDir)) {
            throw new IOException(gitDir + " missing: bring the snapshot first (fetch github:" + repo + ")");
        }
        String sha = git(gitDir, List.of("rev-parse", (commit == null ? "HEAD" : commit) + "^{commit}"), null).trim();
        Files.createDirectories(into);
        Path tar = into.resolve("export.tar");
        git(gitDir, List.of("archive", "--format=tar", "-o", tar.toString(), sha, path), null);
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", into.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("tar -xf " + tar + " failed");
        }
        Files.delete(tar);
        return new Export(into.resolve(path), sha);
    }

    /** The text of {@code path} at {@code commit}. */
    static String show(Path mirror, String repo, String commit, String path) throws IOException, InterruptedException {
        return git(mirror.resolve(repo.replace('/', '+')).resolve("repo"), List.of("show", commit + ":" + path), null);
    }

    private static String git(Path gitDir, List<String> args, Path cwd) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "--git-dir=" + gitDir));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
        }
        return out;
    }
}
