package io.fulcrum.vrrp;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script command line into words the way keepalived does for notify and vrrp scripts: whitespace separates
 * words, single or double quotes group them, no shell is involved.
 *
 * <p>Stateless; safe from any thread.
 */
public final class CommandLine {

    private CommandLine() {
    }

    /** The words of {@code line}; throws naming the line when a quote is not closed. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in script '" + line + "'");
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
