package io.fulcrum.appliance.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The second layer: splits a logical line into words and braces. Whitespace separates words; opening and closing braces
 * are tokens of their own anywhere outside quotes; {@code "} and {@code '} quote (shell-like: {@code ab"c d"} is one word
 * {@code abc d}) and inside quotes the escapes of keepalived.conf(5) apply (backslash escapes: n, t, octal, x hex, c control, ...).
 * Stateless; any thread.
 */
final class Lexer {

    private Lexer() {
    }

    static List<Token> tokenize(LogicalLine line, Diagnostics diag) {
        String s = line.text();
        Origin origin = line.origin();
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '{' || c == '}') {
                if (inWord) {
                    tokens.add(new Token(word.toString(), Token.Kind.WORD, quoted, origin));
                    word.setLength(0);
                    inWord = false;
                    quoted = false;
                }
                if (c == '{') {
                    tokens.add(new Token("{", Token.Kind.OPEN, false, origin));
                } else if (c == '}') {
                    tokens.add(new Token("}", Token.Kind.CLOSE, false, origin));
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '"' || c == '\'') {
                quoted = true;
                int j = i + 1;
                boolean closed = false;
                while (j < s.length()) {
                    char d = s.charAt(j);
                    if (d == c) {
                        closed = true;
                        break;
                    }
                    if (d == '\\' && j + 1 < s.length()) {
                        j = escape(s, j + 1, word);
                        continue;
                    }
                    word.append(d);
                    j++;
                }
                if (!closed) {
                    diag.error(origin, "unterminated quoted string starting " + c + abbreviate(s.substring(i + 1)));
                    return List.of();
                }
                i = j + 1;
                continue;
            }
            word.append(c);
            i++;
        }
        if (inWord) {
            tokens.add(new Token(word.toString(), Token.Kind.WORD, quoted, origin));
        }
        return tokens;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * keepalived's backslash escapes applied to a whole word: keepalived re-reads a {@code regex} line with escape
     * processing, so they apply to an unquoted pattern too ({@code \\d} gives {@code \d}, {@code \d} gives
     * {@code d}). A trailing lone backslash is kept.
     */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                i = escape(s, i + 1, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Resolves the escape whose character is at {@code at}; returns the index after it. */
    private static int escape(String s, int at, StringBuilder out) {
        char e = s.charAt(at);
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'E', 'e' -> out.append('\u001b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 'x' -> {
                int j = at + 1;
                int v = 0;
                while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
                    v = (v * 16 + Character.digit(s.charAt(j), 16)) & 0xff;
                    j++;
                }
                if (j == at + 1) {
                    out.append('x');
                } else {
                    out.append((char) v);
                }
                return j;
            }
            case 'c' -> {
                if (at + 1 < s.length()) {
                    out.append((char) (Character.toUpperCase(s.charAt(at + 1)) ^ 0x40));
                    return at + 2;
                }
                out.append('c');
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int j = at;
                    int v = 0;
                    while (j < s.length() && j < at + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                        v = v * 8 + (s.charAt(j) - '0');
                        j++;
                    }
                    out.append((char) (v & 0xff));
                    return j;
                }
                out.append(e);
            }
        }
        return at + 1;
    }
}
