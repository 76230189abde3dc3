package io.fulcrum.appliance.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every diagnostic of one load; parsing never stops at the first error. Confined to the loading thread. */
final class Diagnostics {

    private final List<Diagnostic> list = new ArrayList<>();

    void error(Origin origin, String message) {
        list.add(new Diagnostic(Diagnostic.Severity.ERROR, origin, message));
    }

    void warning(Origin origin, String message) {
        list.add(new Diagnostic(Diagnostic.Severity.WARNING, origin, message));
    }

    boolean hasErrors() {
        return list.stream().anyMatch(Diagnostic::isError);
    }

    List<Diagnostic> all() {
        return List.copyOf(list);
    }
}
