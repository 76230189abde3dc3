package io.fulcrum.netlink.rtnl;

import io.fulcrum.netlink.IpText;
import java.net.InetAddress;

/**
 * A route as rtnetlink reports it (RTM_NEWROUTE) or as a caller asks to add or delete it.
 *
 * <p>Immutable; safe to share between threads. {@code destination} is {@code null} for a default route; {@code gateway}
 * and {@code preferredSource} are {@code null} when absent; {@code oif} is 0 when absent.
 *
 * @param family          AF_INET (2) or AF_INET6 (10)
 * @param table           routing table id (254 main)
 * @param destination     destination prefix address, or {@code null} for default
 * @param dstLength       destination prefix length
 * @param gateway         next hop, or {@code null}
 * @param oif             output interface index, or 0
 * @param priority        metric, 0 when absent
 * @param protocol        {@code rtm_protocol} (RTPROT_*)
 * @param scope           {@code rtm_scope}
 * @param type            {@code rtm_type} (RTN_UNICAST = 1, RTN_LOCAL = 2, ...)
 * @param preferredSource {@code RTA_PREFSRC}, or {@code null}
 */
public record Route(int family, int table, InetAddress destination, int dstLength, InetAddress gateway, int oif,
        int priority, int protocol, int scope, int type, InetAddress preferredSource) {

    /**
     * What identifies a route in the monitor's mirror: family, table, destination prefix, metric, output interface
     * and gateway.
     */
    public record Key(int family, int table, InetAddress destination, int dstLength, int priority, int oif,
            InetAddress gateway) {
    }

    /** The identity of this route. */
    public Key key() {
        return new Key(family, table, destination, dstLength, priority, oif, gateway);
    }

    /** A unicast route in the main table to {@code destination/dstLength} via {@code gateway} (may be null) on oif. */
    public static Route unicast(InetAddress destination, int dstLength, InetAddress gateway, int oif) {
        int family = destination.getAddress().length == 16 ? 10 : 2;
        int scope = gateway == null ? RtMsgFlyweight.RT_SCOPE_LINK : RtMsgFlyweight.RT_SCOPE_UNIVERSE;
        return new Route(family, RtMsgFlyweight.RT_TABLE_MAIN, destination, dstLength, gateway, oif, 0,
                RtMsgFlyweight.RTPROT_STATIC, scope, RtMsgFlyweight.RTN_UNICAST, null);
    }

    /** {@code dst/len via gw dev ifindex table T}, for messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(destination == null ? "default" : IpText.format(destination) + "/" + dstLength);
        if (gateway != null) {
            sb.append(" via ").append(IpText.format(gateway));
        }
        if (oif != 0) {
            sb.append(" oif ").append(oif);
        }
        if (table != RtMsgFlyweight.RT_TABLE_MAIN) {
            sb.append(" table ").append(table);
        }
        return sb.toString();
    }
}
