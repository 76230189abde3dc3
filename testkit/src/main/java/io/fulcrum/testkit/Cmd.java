package io.fulcrum.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command to completion with a time limit and captures its output.
 *
 * <p>Stateless; safe from any thread. The process is killed (by its own PID) when the limit passes.
 */
public final class Cmd {

    /** The outcome of one command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** Whether the command exited 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result if the command exited 0, else throws with the command, exit code and stderr. */
        public Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode
                        + (stderr.isBlank() ? "" : ": " + stderr.strip())
                        + (stdout.isBlank() ? "" : " [stdout: " + stdout.strip() + "]"));
            }
            return this;
        }
    }

    private Cmd() {
    }

    /** Runs {@code command} with a 60 s limit. */
    public static Result run(String... command) {
        return run(Duration.ofSeconds(60), List.of(command));
    }

    /** Runs {@code command} and throws unless it exits 0. */
    public static Result ok(String... command) {
        return run(command).orThrow();
    }

    /** Runs {@code command} with the given limit; a command that overruns it is killed and reported as exit 124. */
    public static Result run(Duration limit, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to send
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = pump(p.getInputStream(), out);
        Thread te = pump(p.getErrorStream(), err);
        int code;
        try {
            if (p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                code = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                code = 124;
            }
            to.join(5000);
            te.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
        return new Result(List.copyOf(command), code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Prefixes {@code command} with {@code ip netns exec NS}. */
    public static List<String> inNs(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return full;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = Thread.ofVirtual().start(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // process ended
            }
        });
        return t;
    }
}
