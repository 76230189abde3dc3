package io.fulcrum.appliance.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No input makes the loader throw: every good test configuration is mutated many times (characters deleted, braces,
 * quotes, $, @, ~SEQ fragments, huge numbers inserted, lines swapped) and each result must load to either a model or a
 * list of diagnostics with a file and line. The seed is fixed so a failure reproduces.
 */
class MutationFuzzTest {

    private static final String[] FRAGMENTS = {"{", "}", "\"", "'", "\\", "$", "${", "${X}", "@", "@^", "~SEQ(", "~SEQ(A,1,3)",
        "~LST({a,b},{1})", "#", "!", "99999999999999999999", "-1", "0x", "::", "10.0.0.1/99", "1.5", "include ",
        "real_server", "virtual_server", "\n", " ", "/", ":", "-", "\u00e9", "\t"};

    @TempDir
    Path dir;

    @Test
    void mutatedConfigurationsNeverThrow() throws IOException {
        Path good = GoodConfigTest.resource("01-dr-pair-conditionals.conf").getParent();
        List<Path> sources;
        try (Stream<Path> s = Files.list(good)) {
            sources = s.filter(p -> p.toString().endsWith(".conf") && !p.getFileName().toString().startsWith("34-"))
                    .sorted().toList();
        }
        Random random = new Random(20261121L);
        Path target = dir.resolve("m.conf");
        int loads = 0;
        for (Path source : sources) {
            String text = Files.readString(source);
            for (int round = 0; round < 25; round++) {
                String mutated = mutate(text, random);
                Files.writeString(target, mutated);
                LoadResult r;
                try {
                    r = ConfigLoader.load(target, random.nextBoolean() ? "lb1" : "lb2");
                } catch (RuntimeException | StackOverflowError e) {
                    Files.writeString(dir.resolve("failing.conf"), mutated);
                    fail("loader threw on a mutation of " + source.getFileName() + ":\n" + mutated, e);
                    return;
                }
                loads++;
                assertTrue(r.ok() || !r.errors().isEmpty(), "either a model or errors");
                for (Diagnostic d : r.diagnostics()) {
                    assertNotNull(d.file());
                    assertTrue(d.line() >= 0);
                }
            }
        }
        assertTrue(loads >= 30 * 25, "fuzzed " + loads);
    }

    private static String mutate(String text, Random random) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && !sb.isEmpty(); i++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                case 2 -> sb.replace(at, Math.min(sb.length(), at + 1 + random.nextInt(12)), "");
                default -> {
                    List<String> lines = new ArrayList<>(List.of(sb.toString().split("\n", -1)));
                    if (lines.size() > 2) {
                        int a = random.nextInt(lines.size());
                        int b = random.nextInt(lines.size());
                        String t = lines.get(a);
                        lines.set(a, lines.get(b));
                        lines.set(b, t);
                    }
                    sb.setLength(0);
                    sb.append(String.join("\n", lines));
                }
            }
        }
        return sb.toString();
    }
}
