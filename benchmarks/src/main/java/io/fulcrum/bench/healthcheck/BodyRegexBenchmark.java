package io.fulcrum.bench.healthcheck;

import io.fulcrum.healthcheck.BodyRegex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one HTTP_GET {@code regex} body match ({@link BodyRegex#matches}, which runs on the health checks'
 * script pool): a 2 KiB status page whose marker is near the end, a 64 KiB page without the marker (the whole body is
 * scanned), a {@code caseless} match with offsets, and a catastrophic pattern stopped by the match limit. Run with {@code -prof gc} to see the allocation per match.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BodyRegexBenchmark {

    private BodyRegex plain;
    private Pattern plainPattern;
    private BodyRegex caseless;
    private Pattern caselessPattern;
    private byte[] page2k;
    private byte[] page64k;
    private BodyRegex runaway;
    private Pattern runawayPattern;
    private byte[] as;

    /** Builds the bodies and compiles the patterns once. */
    @Setup
    public void setup() {
        String filler = "<tr><td>worker</td><td>busy</td><td>42</td></tr>\n";
        page2k = (filler.repeat(2000 / filler.length()) + "<p>service state: GOOD</p>\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        page64k = filler.repeat(65536 / filler.length()).getBytes(StandardCharsets.ISO_8859_1);
        plain = new BodyRegex("state: (OK|GOOD)", List.of(), false, 0, -1);
        plainPattern = plain.compile();
        caseless = new BodyRegex("STATE: (ok|good)", List.of("caseless"), false, 1024, 4096);
        caselessPattern = caseless.compile();
        runaway = BodyRegex.of("((a+)+)+b");
        runawayPattern = runaway.compile();
        as = "a".repeat(40).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A catastrophic pattern: how long a script-pool thread spends before the match limit stops it. */
    @Benchmark
    public BodyRegex.Outcome runawayUntilTheLimit() {
        return runaway.matches(runawayPattern, as, as.length);
    }

    /** A 2 KiB page, marker found near the end. */
    @Benchmark
    public BodyRegex.Outcome match2KiB() {
        return plain.matches(plainPattern, page2k, page2k.length);
    }

    /** A 64 KiB page without the marker: the whole body is scanned. */
    @Benchmark
    public BodyRegex.Outcome noMatch64KiB() {
        return plain.matches(plainPattern, page64k, page64k.length);
    }

    /** {@code caseless} with {@code regex_min_offset 1024 regex_max_offset 4096} on the 2 KiB page. */
    @Benchmark
    public BodyRegex.Outcome caselessWithOffsets2KiB() {
        return caseless.matches(caselessPattern, page2k, page2k.length);
    }
}
