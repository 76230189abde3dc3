package io.fulcrum.appliance;

import io.fulcrum.appliance.config.KeepalivedConfig;
import io.fulcrum.appliance.tuning.Tuning;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Appliance#launch(ApplianceContext)} needs: what to run, the validated configuration and tuning,
 * and where the process keeps its files (pid file, control socket, dump files).
 *
 * <p>Built and concluded on the main thread before launch; immutable afterwards, so any thread may read it.
 */
public final class ApplianceContext {

    private ApplianceView.Mode mode = ApplianceView.Mode.FULL;
    private Path configFile;
    private String configId;
    private KeepalivedConfig config;
    private Tuning tuning;
    private Path pidFile;
    private Path controlSocket;
    private Path runDir = Path.of("/tmp");
    private List<String> dataplaneInterfaces = List.of();
    private boolean concluded;

    /** An empty context; set at least the configuration file, the configuration and the tuning. */
    public ApplianceContext() {
    }

    private void mutable() {
        if (concluded) {
            throw new IllegalStateException("ApplianceContext is concluded");
        }
    }

    /** What to run (default {@link ApplianceView.Mode#FULL}). */
    public ApplianceContext mode(ApplianceView.Mode v) {
        mutable();
        mode = Objects.requireNonNull(v);
        return this;
    }

    /** The configuration file (re-read on reload). */
    public ApplianceContext configFile(Path v) {
        mutable();
        configFile = v;
        return this;
    }

    /** The {@code -i} id for {@code @ID} lines, or null. */
    public ApplianceContext configId(String v) {
        mutable();
        configId = v;
        return this;
    }

    /** The validated configuration loaded from {@link #configFile()}. */
    public ApplianceContext config(KeepalivedConfig v) {
        mutable();
        config = v;
        return this;
    }

    /** The validated tuning. */
    public ApplianceContext tuning(Tuning v) {
        mutable();
        tuning = v;
        return this;
    }

    /** The pid file ({@code -p}), or null for none. */
    public ApplianceContext pidFile(Path v) {
        mutable();
        pidFile = v;
        return this;
    }

    /** The admin socket path ({@code --control-socket}), or null for the tuning's default. */
    public ApplianceContext controlSocket(Path v) {
        mutable();
        controlSocket = v;
        return this;
    }

    /**
     * The directory of the SIGUSR1/SIGUSR2 dump files {@code keepalived.data} and {@code keepalived.stats} (default
     * {@code /tmp}, as keepalived; give each instance its own to run two on one host).
     */
    public ApplianceContext runDir(Path v) {
        mutable();
        runDir = Objects.requireNonNull(v);
        return this;
    }

    /** Interfaces for the dataplane; empty (default): those the configuration's VIPs and local addresses name. */
    public ApplianceContext dataplaneInterfaces(List<String> v) {
        mutable();
        dataplaneInterfaces = List.copyOf(v);
        return this;
    }

    /** Checks the context; throws {@link IllegalArgumentException} naming what is missing. */
    public ApplianceContext conclude() {
        if (concluded) {
            return this;
        }
        if (configFile == null || config == null || tuning == null) {
            throw new IllegalArgumentException("appliance: the configuration file, configuration and tuning are required");
        }
        if (controlSocket == null && tuning.control() != null) {
            controlSocket = tuning.control().socket();
        }
        concluded = true;
        return this;
    }

    /** What runs. */
    public ApplianceView.Mode mode() {
        return mode;
    }

    /** The configuration file. */
    public Path configFile() {
        return configFile;
    }

    /** The {@code -i} id or null. */
    public String configId() {
        return configId;
    }

    /** The configuration loaded at start. */
    public KeepalivedConfig config() {
        return config;
    }

    /** The tuning. */
    public Tuning tuning() {
        return tuning;
    }

    /** The pid file or null. */
    public Path pidFile() {
        return pidFile;
    }

    /** The admin socket path (for the admin server), or null. */
    public Path controlSocket() {
        return controlSocket;
    }

    /** The dump directory. */
    public Path runDir() {
        return runDir;
    }

    /** The dataplane interfaces asked for (empty: derived from the configuration). */
    public List<String> dataplaneInterfaces() {
        return dataplaneInterfaces;
    }
}
