package dev.taskq.worker.workspace;

import dev.taskq.worker.workspace.WorkspaceException.Reason;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules for a working directory a task names, checked again on the worker whatever the gateway accepted: an
 * absolute path without {@code .} or {@code ..} components, inside one of the allowed roots (component by component,
 * and again once symbolic links are resolved), and not inside the worker's own checkouts and clones.
 */
final class AllowedRoots {

    private final List<Path> roots;
    private final List<Path> reserved;
    private final String host;

    /**
     * @param roots absolute and normalized; empty allows any absolute path
     * @param reserved the worker's own directories (its checkouts and clones), never a task's working directory
     */
    AllowedRoots(List<Path> roots, List<Path> reserved, String host) {
        this.roots = List.copyOf(roots);
        this.reserved = List.copyOf(reserved);
        this.host = host;
    }

    /** The configured roots as paths; a root that is relative or not normalized is a configuration error. */
    static List<Path> parse(List<String> configured) {
        List<Path> parsed = new ArrayList<>();
        for (String root : configured) {
            if (root.isBlank()) {
                continue;
            }
            Path path = Path.of(root.strip());
            if (!path.isAbsolute() || !path.normalize().equals(path)) {
                throw new IllegalArgumentException(
                        "taskq.worker.workspace.allowed-roots: " + root + " is not an absolute, normalized path");
            }
            parsed.add(path);
        }
        return List.copyOf(parsed);
    }

    /** A directory the task named, once it passes the rules and exists; whether it was created for the attempt. */
    record Checked(Path directory, boolean created) {}

    /**
     * Checks {@code workingDir} and makes sure it exists. A missing directory is created only when roots are
     * configured, its parent exists and the parent is inside a root: a typo in a deeper path is reported, not built.
     */
    Checked check(String workingDir) throws WorkspaceException {
        Path path = lexicallyAllowed(workingDir);
        if (Files.isDirectory(path)) {
            requireInsideRootsOnceResolved(path, workingDir);
            return new Checked(path, false);
        }
        if (Files.exists(path)) {
            throw new WorkspaceException(Reason.REJECTED, "working directory " + path + " is not a directory");
        }
        Path parent = path.getParent();
        if (roots.isEmpty() || parent == null || !Files.isDirectory(parent) || !insideRoot(parent)) {
            throw new WorkspaceException(Reason.MISSING,
                    "working directory " + path + " does not exist on host " + host);
        }
        requireInsideRootsOnceResolved(parent, workingDir);
        try {
            Files.createDirectory(path);
            return new Checked(path, true);
        } catch (FileAlreadyExistsException e) {
            // another attempt created it a moment ago
            requireInsideRootsOnceResolved(path, workingDir);
            return new Checked(path, false);
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot create working directory " + path + ": " + e.getMessage());
        }
    }

    /**
     * Checks a repository URL that is a local path ({@code file://} or a plain path): with roots configured it must
     * lie inside one, like a working directory, so no task clones another's repository off the worker's disk.
     */
    void checkLocalRepository(Path path, String url) throws WorkspaceException {
        if (roots.isEmpty()) {
            return;
        }
        if (!path.isAbsolute() || !path.normalize().equals(path) || !insideRoot(path)) {
            throw new WorkspaceException(Reason.REJECTED,
                    "repository " + url + " is a local path outside the allowed roots " + roots);
        }
        if (Files.exists(path)) {
            resolvedInsideRoots(path, "repository " + url);
        }
    }

    /** The path if it passes the rules that need no file system. */
    Path lexicallyAllowed(String workingDir) throws WorkspaceException {
        Path path;
        try {
            path = Path.of(workingDir);
        } catch (InvalidPathException e) {
            throw new WorkspaceException(Reason.REJECTED, "working directory " + workingDir + " is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new WorkspaceException(Reason.REJECTED, "working directory " + workingDir + " is not an absolute path");
        }
        for (Path name : path) {
            if (name.toString().equals("..") || name.toString().equals(".")) {
                throw new WorkspaceException(Reason.REJECTED,
                        "working directory " + workingDir + " must not contain . or .. components");
            }
        }
        if (!roots.isEmpty() && !insideRoot(path)) {
            throw new WorkspaceException(Reason.REJECTED,
                    "working directory " + workingDir + " is outside the allowed roots " + roots);
        }
        for (Path own : reserved) {
            if (path.startsWith(own)) {
                throw new WorkspaceException(Reason.REJECTED,
                        "working directory " + workingDir + " is inside the worker's own " + own);
            }
        }
        return path;
    }

    private boolean insideRoot(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    /** A symbolic link inside a root must not lead the session outside every root. */
    private void requireInsideRootsOnceResolved(Path existing, String named) throws WorkspaceException {
        resolvedInsideRoots(existing, "working directory " + named);
    }

    private void resolvedInsideRoots(Path existing, String what) throws WorkspaceException {
        if (roots.isEmpty()) {
            return;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot resolve " + what + ": " + e.getMessage());
        }
        for (Path root : roots) {
            Path realRoot;
            try {
                realRoot = root.toRealPath();
            } catch (IOException e) {
                continue; // a root that does not exist on this host holds nothing
            }
            if (real.startsWith(realRoot)) {
                return;
            }
        }
        throw new WorkspaceException(Reason.REJECTED, what + " resolves to " + real + ", outside the allowed roots " + roots);
    }
}
