package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.MessageHeader;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.SockAddr;
import io.fulcrum.netlink.rtnl.Address;
import io.fulcrum.netlink.rtnl.Link;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import io.fulcrum.vrrp.Addresses;
import io.fulcrum.vrrp.VipOwnership;
import io.fulcrum.vrrp.VirtualAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Address ownership on the kernel: adds the virtual addresses to their interface through rtnetlink (ACK checked),
 * announces them with gratuitous ARP (a packet socket, RFC 5227 §2.3 style announcement) or unsolicited Neighbour
 * Advertisements (RFC 4861 §7.2.6, a raw ICMPv6 socket, hop limit 255), and removes them on release and at start.
 *
 * <p>Create, use and close on the VRRP thread (sockets live in that thread's network namespace). Failures are logged
 * with the call, errno and address; they never propagate into the state machine.
 */
public final class KernelVipOwnership implements VipOwnership, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.vrrp.Vrrp");
    private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private final Rtnetlink rtnl;
    private final KernelNetlink kernel;
    private final LinuxSocket arp;
    private final LinuxSocket icmp6;
    private final MemorySegment frame = Arena.ofAuto().allocate(64, 8);
    private final Map<String, byte[]> macs = new HashMap<>();
    private final Map<String, Integer> indexes = new HashMap<>();

    /** Opens the rtnetlink, packet and ICMPv6 sockets in the calling thread's namespace (no ownership guard). */
    public KernelVipOwnership() {
        this(null);
    }

    /**
     * Like {@link #KernelVipOwnership()}, sharing {@code kernel}'s request socket and registering owned addresses with
     * its {@link io.fulcrum.netlink.rtnl.AddressGuard}, which restores one removed behind our back.
     */
    public KernelVipOwnership(KernelNetlink kernel) {
        this.kernel = kernel;
        this.rtnl = kernel != null ? kernel.rtnl() : Rtnetlink.open();
        this.arp = LinuxSocket.packet(LinuxSocket.ETH_P_ARP);
        this.icmp6 = LinuxSocket.rawIpv6(LinuxSocket.IPPROTO_ICMPV6);
        icmp6.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_MULTICAST_HOPS, 255);
        icmp6.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_UNICAST_HOPS, 255);
    }

    private int index(String ifName) {
        Integer i = indexes.get(ifName);
        if (i == null) {
            i = rtnl.indexOf(ifName);
            indexes.put(ifName, i);
        }
        return i;
    }

    private byte[] mac(String ifName) {
        byte[] m = macs.get(ifName);
        if (m == null) {
            Link l = rtnl.link(ifName).orElseThrow(() -> new IllegalStateException("no interface " + ifName));
            m = new byte[6];
            String[] parts = l.mac().split(":");
            for (int i = 0; i < 6 && i < parts.length; i++) {
                m[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            macs.put(ifName, m);
        }
        return m;
    }

    private static String dev(String ifName, VirtualAddress va) {
        return va.device() != null ? va.device() : ifName;
    }

    @Override
    public void removeStale(String instance, String interfaceName, List<VirtualAddress> addresses) {
        List<Address> present;
        try {
            present = rtnl.addresses();
        } catch (NativeException e) {
            LOG.warn("({}) cannot list addresses: {}", instance, e.getMessage());
            return;
        }
        for (VirtualAddress va : addresses) {
            for (Address a : present) {
                try {
                    if (a.address().equals(va.address()) && a.ifindex() == index(dev(interfaceName, va))) {
                        rtnl.deleteAddress(a.ifindex(), a.address(), a.prefixLength());
                        LOG.info("({}) removed stale VIP {}/{} dev {} left by an earlier run", instance,
                                Addresses.format(va.address()), a.prefixLength(), dev(interfaceName, va));
                    }
                } catch (NativeException e) {
                    LOG.warn("({}) cannot remove stale VIP {}: {}", instance, va, e.getMessage());
                }
            }
        }
    }

    @Override
    public void acquire(String instance, String interfaceName, List<VirtualAddress> addresses) {
        for (VirtualAddress va : addresses) {
            try {
                int ifIndex = index(dev(interfaceName, va));
                try {
                    rtnl.addAddress(ifIndex, va.address(), va.prefixLength());
                } catch (NativeException e) {
                    if (e.errno() != Errno.EEXIST) {
                        LOG.warn("({}) cannot add VIP {}: {}", instance, va, e.getMessage());
                        continue;
                    }
                }
                if (kernel != null) {
                    kernel.guard().own(ifIndex, va.address(), va.prefixLength(), "(" + instance + ")");
                }
            } catch (RuntimeException e) {
                LOG.warn("({}) cannot add VIP {}: {}", instance, va, e.getMessage());
            }
        }
    }

    @Override
    public void release(String instance, String interfaceName, List<VirtualAddress> addresses) {
        for (VirtualAddress va : addresses) {
            try {
                int ifIndex = index(dev(interfaceName, va));
                if (kernel != null) {
                    kernel.guard().release(ifIndex, va.address(), va.prefixLength());
                }
                rtnl.deleteAddress(ifIndex, va.address(), va.prefixLength());
            } catch (NativeException e) {
                if (e.errno() != Errno.EADDRNOTAVAIL && e.errno() != Errno.ENODEV) {
                    LOG.warn("({}) cannot remove VIP {}: {}", instance, va, e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("({}) cannot remove VIP {}: {}", instance, va, e.getMessage());
            }
        }
    }

    @Override
    public void announce(String instance, String interfaceName, List<VirtualAddress> addresses, int repeat) {
        for (VirtualAddress va : addresses) {
            String dev = dev(interfaceName, va);
            try {
                for (int i = 0; i < repeat; i++) {
                    if (va.ipv6()) {
                        sendNa(dev, va.address());
                    } else {
                        sendGarp(dev, va.address());
                    }
                    // keepalived logs every message it sends
                    LOG.info(va.ipv6() ? "Sending unsolicited Neighbour Advert on {} for {}"
                            : "Sending gratuitous ARP on {} for {}", dev, Addresses.format(va.address()));
                }
            } catch (NativeException | IllegalStateException e) {
                LOG.warn("({}) cannot announce {} on {}: {}", instance, va, dev, e.getMessage());
            }
        }
    }

    private void sendGarp(String dev, InetAddress vip) {
        byte[] mac = mac(dev);
        byte[] ip = vip.getAddress();
        MemorySegment f = frame;
        f.fill((byte) 0);
        for (int i = 0; i < 6; i++) {
            f.set(ValueLayout.JAVA_BYTE, i, (byte) 0xff);        // destination: broadcast
            f.set(ValueLayout.JAVA_BYTE, 6 + i, mac[i]);         // source
            f.set(ValueLayout.JAVA_BYTE, 22 + i, mac[i]);        // sender hardware address
        }
        f.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x08);           // ethertype ARP
        f.set(ValueLayout.JAVA_BYTE, 13, (byte) 0x06);
        f.set(ValueLayout.JAVA_BYTE, 15, (byte) 1);              // htype Ethernet
        f.set(ValueLayout.JAVA_BYTE, 16, (byte) 0x08);           // ptype IPv4
        f.set(ValueLayout.JAVA_BYTE, 18, (byte) 6);
        f.set(ValueLayout.JAVA_BYTE, 19, (byte) 4);
        f.set(ValueLayout.JAVA_BYTE, 21, (byte) 1);              // request
        for (int i = 0; i < 6; i++) {
            f.set(ValueLayout.JAVA_BYTE, 32 + i, (byte) 0xff);   // target hardware address: broadcast, as keepalived
        }
        for (int i = 0; i < 4; i++) {
            f.set(ValueLayout.JAVA_BYTE, 28 + i, ip[i]);         // sender IP = VIP
            f.set(ValueLayout.JAVA_BYTE, 38 + i, ip[i]);         // target IP = VIP
        }
        SockAddr to = SockAddr.packet(LinuxSocket.ETH_P_ARP, index(dev),
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        arp.sendTo(f, 0, 60, to);
    }

    private void sendNa(String dev, InetAddress vip) {
        byte[] mac = mac(dev);
        byte[] target = vip.getAddress();
        MemorySegment f = frame;
        f.fill((byte) 0);
        f.set(ValueLayout.JAVA_BYTE, 0, (byte) 136);             // Neighbor Advertisement
        f.set(ValueLayout.JAVA_BYTE, 4, (byte) 0x20);            // Override flag (unsolicited: S = 0)
        MemorySegment.copy(target, 0, f, ValueLayout.JAVA_BYTE, 8, 16);
        f.set(ValueLayout.JAVA_BYTE, 24, (byte) 2);              // option: target link-layer address
        f.set(ValueLayout.JAVA_BYTE, 25, (byte) 1);
        MemorySegment.copy(mac, 0, f, ValueLayout.JAVA_BYTE, 26, 6);
        int ifIndex = index(dev);
        MessageHeader h = new MessageHeader().outgoingIpv6PacketInfo(ifIndex, null);
        icmp6.sendMsg(f, 0, 32, SockAddr.inet6(ALL_NODES, 0, ifIndex), h);
    }

    /** Closes the sockets. */
    @Override
    public void close() {
        arp.close();
        icmp6.close();
        if (kernel == null) {
            rtnl.close();
        }
    }
}
