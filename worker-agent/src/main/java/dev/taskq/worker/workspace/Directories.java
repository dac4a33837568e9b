package dev.taskq.worker.workspace;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** File-system chores of workspaces: their last-used time and their removal. */
final class Directories {

    private Directories() {}

    /**
     * Records {@code at} as the last use of {@code directory}, as its modification time: it survives a restart, and
     * unlike a marker file inside, a session never sees it (no stray file in a checkout's {@code git status}).
     */
    static void touch(Path directory, Instant at) {
        try {
            Files.setLastModifiedTime(directory, FileTime.from(at));
        } catch (IOException e) {
            // gone already, or not ours to touch: the sweep then goes by whatever time it has
        }
    }

    static Instant lastUsed(Path path) throws IOException {
        return Files.getLastModifiedTime(path).toInstant();
    }

    /**
     * Removes {@code root} and everything under it, never following a symbolic link out of it. Directories a session
     * made read-only (a Go module cache, say) are made writable first.
     */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                makeOwnerWritable(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                if (e instanceof AccessDeniedException && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isReadable(file)) {
                    // a directory made unreadable: once readable again it can be walked
                    makeOwnerWritable(file);
                    if (Files.isReadable(file)) {
                        deleteTree(file);
                        return FileVisitResult.CONTINUE;
                    }
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeOwnerWritable(Path dir) {
        try {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            permissions.addAll(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
            if (permissions.addAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE))) {
                Files.setPosixFilePermissions(dir, permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not ours or not POSIX: the delete will say so
        }
    }
}
