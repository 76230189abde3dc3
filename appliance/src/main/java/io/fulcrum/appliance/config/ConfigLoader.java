package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
        List<LogicalLine> lines = new Preprocessor(id, diag).run(file);
        List<ConfNode> tree = TreeBuilder.build(lines, diag);
        KeepalivedConfig config = new ModelBuilder(diag).build(tree);
        return new LoadResult(diag.hasErrors() ? null : config, diag.all());
    }

    /** The default config id: the host name up to its first dot, as keepalived uses. */
    public static String defaultConfigId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        int dot = host.indexOf('.');
        return (dot > 0 ? host.substring(0, dot) : host).toLowerCase(Locale.ROOT);
    }
}
