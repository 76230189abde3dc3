package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's regex body match rules on java.util.regex (pure logic). */
class BodyRegexTest {

    private static BodyRegex.Outcome match(BodyRegex r, String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        return r.matches(r.compile(), b, b.length);
    }

    @Test
    void searchesTheBodyAnywhere() {
        assertEquals(BodyRegex.Outcome.MATCHED, match(BodyRegex.of("status: (ok|good)"), "x\nstatus: good\n"));
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(BodyRegex.of("status: (ok|good)"), "status: bad"));
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(BodyRegex.of(".*"), ""), "no body, no match");
    }

    @Test
    void offsetsBoundWhereTheMatchStarts() {
        BodyRegex r = new BodyRegex("OK", List.of(), false, 4, 6);
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(r, "OK.............."), "before min offset");
        assertEquals(BodyRegex.Outcome.MATCHED, match(r, "....OK"), "at min offset");
        assertEquals(BodyRegex.Outcome.MATCHED, match(r, "......OK"), "at max offset");
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(r, ".......OK"), "after max offset");
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(r, "..."), "body shorter than min offset");
        // like PCRE2's start offset: look-behind sees earlier text, ^ does not match at the offset
        assertEquals(BodyRegex.Outcome.MATCHED, match(new BodyRegex("(?<=ab)c", List.of(), false, 2, -1), "abc"));
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(new BodyRegex("^c", List.of(), false, 2, -1), "abc"));
    }

    @Test
    void optionsMapToJavaFlags() {
        assertEquals(BodyRegex.Outcome.MATCHED, match(new BodyRegex("healthy", List.of("caseless"), false, 0, -1),
                "HEALTHY"));
        assertEquals(BodyRegex.Outcome.MATCHED, match(new BodyRegex("^up$", List.of("multiline"), false, 0, -1),
                "a\nup\nb"));
        assertEquals(BodyRegex.Outcome.MATCHED, match(new BodyRegex("a.b", List.of("dotall"), false, 0, -1),
                "a\nb"));
        assertEquals(BodyRegex.Outcome.MATCHED, match(new BodyRegex("u p # comment", List.of("extended"), false, 0,
                -1), "up"));
        assertEquals(BodyRegex.Outcome.NOT_MATCHED, match(new BodyRegex("up", List.of("firstline"), false, 0, -1),
                "first\nup"));
        assertEquals(BodyRegex.Outcome.MATCHED, match(new BodyRegex("up", List.of("firstline"), false, 0, -1),
                "up\nfirst"));
        assertTrue(BodyRegex.knownOption("ungreedy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BodyRegex("a+", List.of("ungreedy"), false, 0, -1));
        assertTrue(e.getMessage().contains("regex_options ungreedy has no java.util.regex equivalent"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BodyRegex.of("(unclosed"));
        assertTrue(e.getMessage().startsWith("regex '(unclosed' does not compile: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BodyRegex("a", List.of(), false, 9, 3));
    }

    @Test
    void aRunawayMatchHitsTheLimitInsteadOfHanging() {
        BodyRegex r = BodyRegex.of("((a+)+)+b");
        assertEquals(BodyRegex.Outcome.LIMIT, match(r, "a".repeat(40)));
    }
}
