package io.fulcrum.appliance.config;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of loading a configuration: the model when there was no error, and every diagnostic in file order of
 * discovery.
 *
 * <p>Immutable; any thread.
 *
 * @param config the model, or null when any error was found (a bad configuration is rejected whole)
 * @param diagnostics every error and warning
 */
public record LoadResult(KeepalivedConfig config, List<Diagnostic> diagnostics) {

    /** Copies the list. */
    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether the configuration loaded without errors. */
    public boolean ok() {
        return config != null;
    }

    /** The model, if the configuration is valid. */
    public Optional<KeepalivedConfig> model() {
        return Optional.ofNullable(config);
    }

    /** The errors only. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /** The warnings only. */
    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
