package io.fulcrum.appliance.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The third layer: groups tokens into statements and blocks. A statement ends at the end of its line, at a brace or at
 * a closing brace; an opening brace opens a block for the statement before it on the same line, or, alone at the start of a
 * line, for the statement on the line before. Unbalanced braces are reported at the line that opened (or closed) them.
 * One instance per load; confined to the loading thread.
 */
final class TreeBuilder {

    private final Diagnostics diag;
    private final List<ConfNode> top = new ArrayList<>();
    private final Deque<ConfNode> open = new ArrayDeque<>();
    /** One String per distinct short word: keywords repeat on every line of a large configuration. */
    private final java.util.Map<String, String> words = new java.util.HashMap<>();

    TreeBuilder(Diagnostics diag) {
        this.diag = diag;
    }

    static List<ConfNode> build(List<LogicalLine> lines, Diagnostics diag) {
        TreeBuilder b = new TreeBuilder(diag);
        lines.forEach(b::accept);
        return b.finish();
    }

    /** Adds the statements of one logical line. */
    void accept(LogicalLine line) {
        List<Token> tokens = Lexer.tokenize(line, diag);
        List<Token> statement = new ArrayList<>();
        for (Token raw : tokens) {
            Token t = raw.text().length() <= 32 && raw.isWord()
                    ? new Token(words.computeIfAbsent(raw.text(), w -> w), raw.kind(), raw.quoted(), raw.origin()) : raw;
            List<ConfNode> current = open.isEmpty() ? top : open.peek().children;
            switch (t.kind()) {
                case WORD -> statement.add(t);
                case OPEN -> {
                    ConfNode owner;
                    if (!statement.isEmpty()) {
                        splitBeforeBlockKeyword(statement, current);
                        owner = flush(statement, current);
                    } else if (!current.isEmpty() && !current.getLast().hasBlock()
                            && current.getLast().origin().line() != t.origin().line()) {
                        owner = current.getLast();
                    } else {
                        diag.error(t.origin(), "'{' without a keyword before it");
                        owner = new ConfNode(new Token("{", Token.Kind.WORD, false, t.origin()), List.of());
                    }
                    owner.openBlock();
                    open.push(owner);
                }
                case CLOSE -> {
                    if (!statement.isEmpty()) {
                        flush(statement, current);
                    }
                    if (open.isEmpty()) {
                        diag.error(t.origin(), "unbalanced '}': no block is open");
                    } else {
                        open.pop().closeOrigin = t.origin();
                    }
                }
            }
        }
        if (!statement.isEmpty()) {
            flush(statement, open.isEmpty() ? top : open.peek().children);
        }
    }

    /** Reports blocks never closed and returns the top-level statements. */
    List<ConfNode> finish() {
        for (ConfNode n : open) {
            diag.error(n.origin(), "unbalanced '{': block '" + n.text() + "' is never closed");
        }
        return top;
    }

    /**
     * On a one-line stamp such as {@code weight 2 TCP_CHECK { ... }}, the words before a keyword that always opens a block
     * form a statement of their own.
     */
    private static void splitBeforeBlockKeyword(List<Token> statement, List<ConfNode> into) {
        for (int i = statement.size() - 1; i > 0; i--) {
            if (!statement.get(i).quoted() && BLOCK_KEYWORDS.contains(statement.get(i).text())) {
                List<Token> head = new ArrayList<>(statement.subList(0, i));
                List<Token> tail = new ArrayList<>(statement.subList(i, statement.size()));
                flush(head, into);
                statement.clear();
                statement.addAll(tail);
                return;
            }
        }
    }

    private static final java.util.Set<String> BLOCK_KEYWORDS = java.util.Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET",
            "MISC_CHECK", "UDP_CHECK", "DNS_CHECK", "PING_CHECK", "SMTP_CHECK", "FILE_CHECK", "BFD_CHECK", "url", "host",
            "real_server", "authentication", "virtual_ipaddress", "virtual_ipaddress_excluded", "unicast_peer",
            "track_interface", "track_script", "virtual_routes");

    private static ConfNode flush(List<Token> statement, List<ConfNode> into) {
        ConfNode node = new ConfNode(statement.getFirst(), statement.subList(1, statement.size()));
        into.add(node);
        statement.clear();
        return node;
    }
}
