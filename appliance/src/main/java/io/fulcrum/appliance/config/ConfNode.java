package io.fulcrum.appliance.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement of the generic configuration tree: a keyword, its arguments and, when followed by a block, the
 * statements inside it. Built by {@link TreeBuilder}; read by {@link ModelBuilder}. Confined to the loading thread.
 */
final class ConfNode {

    final Token keyword;
    final List<Token> args;
    List<ConfNode> children;
    Origin closeOrigin;

    ConfNode(Token keyword, List<Token> args) {
        this.keyword = keyword;
        this.args = List.copyOf(args);
    }

    String name() {
        return keyword.text();
    }

    Origin origin() {
        return keyword.origin();
    }

    boolean hasBlock() {
        return children != null;
    }

    List<ConfNode> block() {
        return children == null ? List.of() : children;
    }

    void openBlock() {
        if (children == null) {
            children = new ArrayList<>();
        }
    }

    /** The keyword and all arguments, space separated, for messages. */
    String text() {
        StringBuilder sb = new StringBuilder(keyword.text());
        for (Token t : args) {
            sb.append(' ').append(t.text());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text() + (children == null ? "" : " {" + children.size() + "}");
    }
}
