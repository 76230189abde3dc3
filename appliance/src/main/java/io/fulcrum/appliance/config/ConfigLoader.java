package io.fulcrum.appliance.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a keepalived.conf into a {@link KeepalivedConfig}: preprocess (includes, conditionals, parameters, sequences),
 * tokenize, build the statement tree, then the typed model with every check. Collects every diagnostic; a configuration
 * with any error is rejected whole. Never throws for bad input.
 *
 * <p>Stateless; any thread may call it (each call is independent).
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads {@code file} with {@code configId} for {@code @ID} lines (null: the short host name). */
    public static LoadResult load(Path file, String configId) {
        String id = configId == null ? defaultConfigId() : configId;
        Diagnostics diag = new Diagnostics();
        TreeBuilder tree = new TreeBuilder(diag);
        new Preprocessor(id, diag, tree::accept).stream(file);
        List<ConfNode> top = tree.finish();
        KeepalivedConfig config = new ModelBuilder(diag).build(top);
        return new LoadResult(diag.hasErrors() ? null : config, diag.all());
    }

    /**
     * The default config id: the node name (as uname(2) gives it) up to its first dot, as keepalived uses. Read from
     * /proc/sys/kernel/hostname, so no name lookup is ever made.
     */
    public static String defaultConfigId() {
        String host = null;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
