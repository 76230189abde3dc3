package io.fulcrum.healthcheck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An {@code HTTP_GET}/{@code SSL_GET} url's {@code regex} with {@code regex_no_match}, {@code regex_options},
 * {@code regex_min_offset} and {@code regex_max_offset}: keepalived 2.x's body match ({@code check_http.c}), done with
 * {@code java.util.regex} instead of PCRE2.
 *
 * <p>Immutable; safe from any thread. {@link #matches} runs on the health checks' script pool, never on an event loop.
 *
 * <p>As in keepalived the subject is the response body (headers excluded) as bytes: each byte is one character
 * (ISO-8859-1), so offsets are byte offsets, unless the {@code utf} option decodes the body as UTF-8. The match must
 * start at or after {@code regex_min_offset} and at or before {@code regex_max_offset}; look-behind may see text
 * before the minimum offset, and {@code ^} does not match at it (PCRE2's start offset). Differences from PCRE2: only
 * the first {@link #BODY_LIMIT} bytes of a body are searched; a match that needs more than {@link #MATCH_LIMIT} steps
 * counts as no match (PCRE2's match limit, which keepalived also treats as no match); the syntax is Java's (Perl-like:
 * classes, quantifiers, groups, look-around, {@code \d \w \s \b}, named groups {@code (?<n>..)}); PCRE2-only syntax
 * (verbs like {@code (*SKIP)}, recursion {@code (?R)}, {@code \K}) is refused when the configuration is loaded. The
 * options {@code ungreedy}, {@code dollar_endonly}, {@code allow_empty_class}, {@code alt_bsux},
 * {@code alt_circumflex}, {@code alt_verbnames} and {@code match_unset_backref} have no Java equivalent and are refused.
 *
 * @param pattern   the pattern (after keepalived's escape processing of the configuration line)
 * @param options   {@code regex_options} words, sorted
 * @param noMatch   {@code regex_no_match}: a match fails the check
 * @param minOffset {@code regex_min_offset} (0: from the start)
 * @param maxOffset {@code regex_max_offset}, or -1 for no limit
 */
public record BodyRegex(String pattern, List<String> options, boolean noMatch, long minOffset, long maxOffset) {

    /** Bytes of a body kept for matching; the rest is read but not searched. */
    public static final int BODY_LIMIT = 1 << 20;

    /** Character reads one match may make before it counts as no match (as PCRE2's default match limit). */
    public static final long MATCH_LIMIT = 10_000_000L;

    /** keepalived's regex_options with a java.util.regex flag (0: same meaning in Java, or an optimisation hint). */
    private static final Map<String, Integer> FLAGS = Map.ofEntries(
            Map.entry("caseless", Pattern.CASE_INSENSITIVE),
            Map.entry("dotall", Pattern.DOTALL),
            Map.entry("extended", Pattern.COMMENTS),
            Map.entry("multiline", Pattern.MULTILINE),
            Map.entry("ucp", Pattern.UNICODE_CHARACTER_CLASS),
            Map.entry("utf", Pattern.UNICODE_CASE),
            Map.entry("firstline", 0),
            Map.entry("auto_callout", 0),
            Map.entry("dupnames", 0),
            Map.entry("never_ucp", 0),
            Map.entry("never_utf", 0),
            Map.entry("no_auto_capture", 0),
            Map.entry("no_auto_possess", 0),
            Map.entry("no_dotstar_anchor", 0),
            Map.entry("no_start_optimize", 0),
            Map.entry("never_backslash_c", 0),
            Map.entry("use_offset_limit", 0));

    /** keepalived's regex_options that java.util.regex cannot honour. */
    private static final List<String> UNSUPPORTED = List.of("allow_empty_class", "alt_bsux", "alt_circumflex",
            "alt_verbnames", "dollar_endonly", "match_unset_backref", "ungreedy");

    /** Validates (the pattern must compile) and copies. */
    public BodyRegex {
        Objects.requireNonNull(pattern, "pattern");
        options = List.copyOf(new TreeSet<>(options));
        if (minOffset < 0) {
            throw new IllegalArgumentException("regex_min_offset " + minOffset + " must not be negative");
        }
        if (maxOffset < -1) {
            throw new IllegalArgumentException("regex_max_offset " + maxOffset + " must not be negative");
        }
        if (maxOffset >= 0 && minOffset > maxOffset) {
            throw new IllegalArgumentException("regex_min_offset " + minOffset + " is beyond regex_max_offset "
                    + maxOffset);
        }
        compile(pattern, options);
    }

    /** A plain {@code regex} without options or offsets. */
    public static BodyRegex of(String pattern) {
        return new BodyRegex(pattern, List.of(), false, 0, -1);
    }

    /** Whether {@code option} is one of keepalived's regex_options (supported here or not). */
    public static boolean knownOption(String option) {
        return FLAGS.containsKey(option) || UNSUPPORTED.contains(option);
    }

    /**
     * Compiles {@code pattern} with keepalived's {@code options}; throws IllegalArgumentException with an operator-facing
     * message for an option Java cannot honour, an unknown option, or a pattern Java cannot compile.
     */
    public static Pattern compile(String pattern, List<String> options) {
        int flags = 0;
        for (String o : options) {
            String k = o.toLowerCase(Locale.ROOT);
            if (UNSUPPORTED.contains(k)) {
                throw new IllegalArgumentException("regex_options " + o + " has no java.util.regex equivalent "
                        + "(supported: " + String.join(" ", new TreeSet<>(FLAGS.keySet())) + ")");
            }
            Integer f = FLAGS.get(k);
            if (f == null) {
                throw new IllegalArgumentException("regex_options " + o + " is not a regex option");
            }
            flags |= f;
        }
        try {
            return Pattern.compile(pattern, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex '" + pattern + "' does not compile: " + e.getDescription()
                    + " near index " + e.getIndex(), e);
        }
    }

    /** The compiled pattern. */
    public Pattern compile() {
        return compile(pattern, options);
    }

    /** What one body match found. */
    public enum Outcome {
        /** The pattern matched within the offsets. */
        MATCHED,
        /** It did not. */
        NOT_MATCHED,
        /** The match needed more than {@link #MATCH_LIMIT} steps (or the stack): counted as not matched. */
        LIMIT
    }

    /**
     * Searches the first {@code length} bytes of {@code body}. Call off the event loops (it may take up to
     * {@link #MATCH_LIMIT} steps).
     */
    public Outcome matches(Pattern compiled, byte[] body, int length) {
        if (length == 0) {
            // keepalived only runs the match on received body data
            return Outcome.NOT_MATCHED;
        }
        CharSequence subject = options.contains("utf")
                ? new String(body, 0, length, StandardCharsets.UTF_8) : new Latin1(body, length);
        Budget budgeted = new Budget(subject);
        if (minOffset > budgeted.length()) {
            return Outcome.NOT_MATCHED;
        }
        Matcher m = compiled.matcher(budgeted);
        m.useTransparentBounds(true).useAnchoringBounds(false).region((int) minOffset, budgeted.length());
        try {
            if (!m.find()) {
                return Outcome.NOT_MATCHED;
            }
        } catch (LimitException | StackOverflowError e) {
            return Outcome.LIMIT;
        }
        int start = m.start();
        if (maxOffset >= 0 && start > maxOffset) {
            return Outcome.NOT_MATCHED;
        }
        if (options.contains("firstline")) {
            int nl = indexOfNewline(subject, (int) minOffset);
            if (nl >= 0 && start > nl) {
                return Outcome.NOT_MATCHED;
            }
        }
        return Outcome.MATCHED;
    }

    private static int indexOfNewline(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Thrown by {@link Budget} when a match runs too long. */
    private static final class LimitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitException() {
            super("regex match limit", null, false, false);
        }
    }

    /** Bytes as ISO-8859-1 characters, without copying. */
    private record Latin1(byte[] b, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            return (char) (b[index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(b, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** Counts character reads and stops a runaway match. */
    private static final class Budget implements CharSequence {
        private final CharSequence s;
        private long left = MATCH_LIMIT;

        Budget(CharSequence s) {
            this.s = s;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new LimitException();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s.toString();
        }
    }

    /** Human-readable list of supported options (for messages). */
    static List<String> supportedOptions() {
        return new ArrayList<>(new TreeSet<>(FLAGS.keySet()));
    }
}
