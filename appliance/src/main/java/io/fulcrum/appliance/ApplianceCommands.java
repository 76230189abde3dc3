package io.fulcrum.appliance;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Runtime changes to the running appliance for the admin socket ({@code ipvsadm}'s {@code -A/-E/-D/-a/-e/-d},
 * {@code --add-laddr/--del-laddr}, {@code -Z}). Each command is checked completely first and then applied through the
 * same snapshot mechanism as a reload (a new immutable service table is published to the dataplane; connections in
 * the workers are kept). A command that fails changes nothing.
 *
 * <p>Thread-safety: any thread may call any method; commands are serialised with each other, with reloads and with
 * health and VRRP events by the appliance's control lock, so each takes effect atomically. Methods return when the new
 * snapshot is published (workers pick it up at their next batch). Runtime changes last until the next reload, which
 * re-applies the configuration file as keepalived does.
 */
public interface ApplianceCommands {

    /**
     * The outcome of a command.
     *
     * @param ok whether the command was applied
     * @param message what was done, or precisely what is wrong ({@code no such service}, ...)
     */
    record Result(boolean ok, String message) {
        /** Success with a message. */
        public static Result ok(String message) {
            return new Result(true, message);
        }

        /** Failure with a message. */
        public static Result error(String message) {
            return new Result(false, message);
        }
    }

    /**
     * A service definition for {@code -A} / {@code -E}.
     *
     * @param key protocol, address and port
     * @param scheduler the scheduler
     * @param forwardMethod the default forwarding method of its real servers
     * @param persistenceTimeoutSeconds 0 for none
     * @param localAddressGroup the FullNAT local-address group, or null
     */
    record ServiceDefinition(ServiceKey key, SchedulerKind scheduler, ForwardingMethod forwardMethod,
                             int persistenceTimeoutSeconds, String localAddressGroup) {
        /** Checks the mandatory fields. */
        public ServiceDefinition {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(forwardMethod, "forwardMethod");
        }
    }

    /** {@code -A}: adds a service with no real servers; {@code service already exists} if present. */
    Result addService(ServiceDefinition service);

    /** {@code -E}: changes a service's scheduler, method, persistence or local-address group; {@code no such service}. */
    Result editService(ServiceDefinition service);

    /** {@code -D}: deletes a service; its connections drain in the workers; {@code no such service}. */
    Result deleteService(ServiceKey key);

    /**
     * {@code -a}: adds a real server; {@code no such service} or {@code destination already exists}.
     *
     * @param key the service
     * @param address the real server's address
     * @param port its port
     * @param weight 0..65535
     */
    Result addRealServer(ServiceKey key, InetAddress address, int port, int weight);

    /** {@code -e}: changes a real server's weight; {@code no such service} or {@code no such destination}. */
    Result editRealServer(ServiceKey key, InetAddress address, int port, int weight);

    /** {@code -d}: deletes a real server (its connections drain); {@code no such destination}. */
    Result deleteRealServer(ServiceKey key, InetAddress address, int port);

    /** {@code -P/--add-laddr}: adds a local address to a FullNAT service. */
    Result addLocalAddress(ServiceKey key, InetAddress address);

    /**
     * {@code -Q/--del-laddr}: deletes a local address; one in use drains ({@code ok} false with
     * {@code local address in use by N connections}); {@code local address not in the pool} if absent.
     */
    Result deleteLocalAddress(ServiceKey key, InetAddress address);

    /** {@code -Z}: zeroes the traffic counters of one service, or of all services when {@code key} is null. */
    Result zeroCounters(ServiceKey key);
}
