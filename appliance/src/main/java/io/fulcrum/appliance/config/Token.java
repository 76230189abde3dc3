package io.fulcrum.appliance.config;

/**
 * One lexical token of a configuration line: a word, a quoted string, or a brace. Confined to the loading thread.
 *
 * @param text the word with quotes removed and escapes resolved
 * @param kind word or brace
 * @param quoted whether any part of the word was quoted (a quoted "{" is a word, not a brace)
 * @param origin file and line
 */
record Token(String text, Kind kind, boolean quoted, Origin origin) {

    enum Kind { WORD, OPEN, CLOSE }

    boolean isWord() {
        return kind == Kind.WORD;
    }

    @Override
    public String toString() {
        return text;
    }
}
