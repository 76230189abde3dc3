package io.fulcrum.appliance.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every diagnostic of one load; parsing never stops at the first error. The same message at the same line is
 * kept once (a line replicated by ~SEQ would otherwise repeat it thousands of times). Confined to the loading thread.
 */
final class Diagnostics {

    private final List<Diagnostic> list = new ArrayList<>();
    private final Set<Diagnostic> seen = new HashSet<>();

    void error(Origin origin, String message) {
        add(new Diagnostic(Diagnostic.Severity.ERROR, origin, message));
    }

    void warning(Origin origin, String message) {
        add(new Diagnostic(Diagnostic.Severity.WARNING, origin, message));
    }

    private void add(Diagnostic d) {
        if (seen.add(d)) {
            list.add(d);
        }
    }

    boolean hasErrors() {
        return list.stream().anyMatch(Diagnostic::isError);
    }

    List<Diagnostic> all() {
        return List.copyOf(list);
    }
}
