package io.fulcrum.vrrp;

import java.util.List;

/**
 * Takes and gives up the virtual addresses of an instance: VRRP only says "I own these" or "I released these".
 *
 * <p>The default implementation adds the addresses to the interface through netlink and announces them with
 * gratuitous ARP / unsolicited NA; the appliance can route ownership to the dataplane instead. Called only on the
 * VRRP thread; implementations must not block for long (no sleeping: the engine schedules repeated bursts itself).
 */
public interface VipOwnership {

    /** Removes addresses a crashed earlier run may have left configured on the interface (called once at start). */
    void removeStale(String instance, String interfaceName, List<VirtualAddress> addresses);

    /** The instance became MASTER: own these addresses (RFC 5798 §6.4.2 transition to Master). */
    void acquire(String instance, String interfaceName, List<VirtualAddress> addresses);

    /** Announces the addresses: {@code repeat} gratuitous ARPs (IPv4) or unsolicited NAs (IPv6) each. */
    void announce(String instance, String interfaceName, List<VirtualAddress> addresses, int repeat);

    /** The instance left MASTER: give the addresses up. */
    void release(String instance, String interfaceName, List<VirtualAddress> addresses);

    /** An ownership that does nothing (VRRP without address handling). */
    static VipOwnership none() {
        return new VipOwnership() {
            @Override
            public void removeStale(String instance, String interfaceName, List<VirtualAddress> addresses) {
            }

            @Override
            public void acquire(String instance, String interfaceName, List<VirtualAddress> addresses) {
            }

            @Override
            public void announce(String instance, String interfaceName, List<VirtualAddress> addresses,
                                 int repeat) {
            }

            @Override
            public void release(String instance, String interfaceName, List<VirtualAddress> addresses) {
            }
        };
    }
}
