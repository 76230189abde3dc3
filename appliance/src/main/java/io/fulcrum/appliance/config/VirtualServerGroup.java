package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A {@code virtual_server_group}: several addresses, address ranges or firewall marks served by one
 * {@code virtual_server group NAME}.
 *
 * <p>Immutable; any thread.
 *
 * @param name the group name
 * @param entries the entries
 * @param origin where the block starts
 */
public record VirtualServerGroup(String name, List<Entry> entries, Origin origin) {

    /** Copies the list. */
    public VirtualServerGroup {
        entries = List.copyOf(entries);
    }

    /**
     * {@code ADDR[-LAST] [PORT]} or {@code fwmark N}.
     *
     * @param address first address, or null for a fwmark entry
     * @param lastAddress last address of the range (equal to address for one), or null for a fwmark entry
     * @param port the port (0 when not given)
     * @param fwmark the firewall mark, or null
     * @param origin where it was written
     */
    public record Entry(InetAddress address, InetAddress lastAddress, int port, Integer fwmark, Origin origin) {
    }
}
