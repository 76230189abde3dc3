package io.fulcrum.healthcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code FILE_CHECK}: reads a number from {@code track_file} every {@code delay_loop} (keepalived watches it with
 * inotify; polling gives the same states). With weight 0 a non-zero value is down; otherwise the value times the
 * weight (negated with {@code reverse}) is added to the real server's configured weight, floored at 0. A missing or
 * unreadable file reads as 0, as keepalived does.
 *
 * <p>{@link #probe} runs on the check's event-loop thread; the read runs on the {@link ScriptRunner} pool.
 */
final class FileCheck implements Prober {

    private final CheckSpec.File spec;
    private final ScriptRunner runner;

    FileCheck(CheckSpec.File spec, ScriptRunner runner) {
        this.spec = spec;
        this.runner = runner;
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        if (!runner.submit(() -> done.accept(result(read())))) {
            done.accept(ProbeResult.failure("file check pool full"));
        }
    }

    long read() {
        String s;
        try {
            s = Files.readString(spec.file()).strip();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        int end = 0;
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+')) {
            end++;
        }
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? 0 : Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    ProbeResult result(long value) {
        if (spec.weight() == 0) {
            return value == 0 ? ProbeResult.success() : new ProbeResult(false, "status", (int) value, null, List.of());
        }
        long offset = value * spec.weight() * (spec.reverse() ? -1 : 1);
        int clamped = (int) Math.max(-65535, Math.min(65535, offset));
        return new ProbeResult(true, null, (int) value,
                new ProbeResult.WeightChange(ProbeResult.WeightChange.Mode.OFFSET, clamped), List.of());
    }
}
