package io.fulcrum.appliance.metrics;

import io.fulcrum.appliance.ApplianceCommands;
import io.fulcrum.appliance.ApplianceContext;
import io.fulcrum.appliance.ApplianceExtension;
import io.fulcrum.appliance.ApplianceView;
import io.fulcrum.appliance.tuning.Tuning;
import java.net.InetSocketAddress;

/**
 * Plugs the metrics endpoint into the daemon ({@link ApplianceExtension}, listed in
 * {@code META-INF/services/io.fulcrum.appliance.ApplianceExtension}): serves {@link MetricsServer} on the tuning's
 * {@code fulcrum.metrics.address} when {@code fulcrum.metrics.enabled}.
 *
 * <p>{@link #start} is called once on the daemon's main thread.
 */
public final class MetricsExtension implements ApplianceExtension {

    /** Created by {@link java.util.ServiceLoader}. */
    public MetricsExtension() {
    }

    @Override
    public AutoCloseable start(ApplianceContext context, ApplianceView view, ApplianceCommands commands)
            throws Exception {
        Tuning.Metrics m = context.tuning().metrics();
        if (!m.enabled()) {
            return () -> { };
        }
        return MetricsServer.start(new InetSocketAddress(m.host(), m.port()), view);
    }
}
