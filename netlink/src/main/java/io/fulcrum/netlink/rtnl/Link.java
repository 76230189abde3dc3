package io.fulcrum.netlink.rtnl;

/**
 * A network interface as rtnetlink reports it (RTM_NEWLINK): index, name, ARPHRD type, IFF flags, RFC 2863
 * operational state, MTU, hardware address, master and kind.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param index     the interface index
 * @param name      the interface name
 * @param type      {@code ifi_type} (ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772, ...)
 * @param flags     {@code ifi_flags} ({@link IfInfoMsgFlyweight#IFF_UP}, ...)
 * @param operState {@code IFLA_OPERSTATE} (see {@link #operStateName()}), 0 when absent
 * @param mtu       {@code IFLA_MTU}
 * @param mac       {@code IFLA_ADDRESS} as {@code aa:bb:cc:dd:ee:ff}, empty when absent
 * @param master    {@code IFLA_MASTER} ifindex, 0 when none
 * @param kind      {@code IFLA_INFO_KIND} ("veth", "bridge", "dummy"...), empty for physical/loopback
 */
public record Link(int index, String name, int type, int flags, int operState, int mtu, String mac, int master,
        String kind) {

    /** RFC 2863 state names indexed by IF_OPER_* as {@code ip link} prints them. */
    private static final String[] OPER = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"};

    /** Whether the interface is administratively up ({@code IFF_UP}). */
    public boolean adminUp() {
        return (flags & IfInfoMsgFlyweight.IFF_UP) != 0;
    }

    /** Whether the interface is usable: up and running (carrier), as keepalived judges it. */
    public boolean isUp() {
        return (flags & IfInfoMsgFlyweight.IFF_UP) != 0 && (flags & IfInfoMsgFlyweight.IFF_RUNNING) != 0;
    }

    /** The operational state as {@code ip link} prints it ({@code UP}, {@code DOWN}, {@code UNKNOWN}...). */
    public String operStateName() {
        return operState >= 0 && operState < OPER.length ? OPER[operState] : "UNKNOWN";
    }
}
