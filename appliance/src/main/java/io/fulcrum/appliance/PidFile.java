package io.fulcrum.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code -p} pid file: written at start (refused when it names a live process, as two daemons must not share
 * one), removed at stop when it still holds our pid.
 *
 * <p>Used by the main thread only.
 */
final class PidFile implements AutoCloseable {

    private final Path path;
    private final long pid = ProcessHandle.current().pid();

    private PidFile(Path path) {
        this.path = path;
    }

    /** Writes the pid file; {@link IllegalStateException} naming the file and the live pid if one runs. */
    static PidFile acquire(Path path) {
        try {
            if (Files.exists(path)) {
                String old = Files.readString(path, StandardCharsets.US_ASCII).strip();
                try {
                    long other = Long.parseLong(old);
                    if (other != ProcessHandle.current().pid() && ProcessHandle.of(other).map(ProcessHandle::isAlive)
                            .orElse(false)) {
                        throw new IllegalStateException("pid file " + path + ": already running as pid " + other
                                + " (use another -p for a second instance)");
                    }
                } catch (NumberFormatException e) {
                    // stale garbage: overwrite
                }
            }
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            return new PidFile(path);
        } catch (IOException e) {
            throw new IllegalStateException("pid file " + path + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Removes the file if it still names this process. */
    @Override
    public void close() {
        try {
            if (Files.exists(path) && Files.readString(path, StandardCharsets.US_ASCII).strip()
                    .equals(Long.toString(pid))) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // best effort at shutdown
        }
    }
}
