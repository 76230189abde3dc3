package io.fulcrum.dataplane.io.xdp;

import static io.fulcrum.dataplane.io.xdp.BpfAssembler.B;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.H;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.JEQ;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.JGT;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.JNE;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R0;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R1;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R10;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R2;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R3;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R6;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R7;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.R8;
import static io.fulcrum.dataplane.io.xdp.BpfAssembler.W;

import io.fulcrum.netlink.Bpf;
import io.fulcrum.netlink.NativeException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Fulcrum's XDP steering program and its maps, for one interface: frames for owned addresses (VIPs, FullNAT local
 * addresses), ARP requests and neighbour solicitations for them, and frames from NAT real servers to anything but the
 * node's own addresses are redirected with {@code bpf_redirect_map} into the AF_XDP socket of their receive queue;
 * everything else (SSH, VRRP, the node's own traffic, ARP for the node's addresses) gets {@code XDP_PASS}. The program
 * is assembled in Java ({@link BpfAssembler}), loaded with {@code BPF_PROG_LOAD} and attached with
 * {@code BPF_LINK_CREATE} (attach type {@code BPF_XDP}): the link goes away when its descriptor is closed or the
 * process exits, with or without {@code /sys/fs/bpf}. Native mode is tried first, then generic (SKB) mode.
 *
 * <p>Maps: {@code fk_xsks} (XSKMAP queue → socket), {@code fk_v4}/{@code fk_v6} (owned destination addresses),
 * {@code fk_v4src}/{@code fk_v6src} (NAT real servers, steered by source), {@code fk_v4node}/{@code fk_v6node}
 * (the node's own addresses, never stolen by source steering). Control-plane methods are synchronized.
 */
public final class XdpSteering implements AutoCloseable {

    private static final int FLAGS_SKB_MODE = XdpLoader.FLAGS_SKB_MODE;
    private static final int FLAGS_DRV_MODE = XdpLoader.FLAGS_DRV_MODE;
    private static final int XDP_PASS = 2;
    private static final int MAX_QUEUES = 64;
    private static final int MAX_ADDRESSES = 65536;

    private final String ifName;
    private final BpfMap xsks;
    private final BpfMap v4;
    private final BpfMap v6;
    private final BpfMap v4src;
    private final BpfMap v6src;
    private final BpfMap v4node;
    private final BpfMap v6node;
    private final int progFd;
    private int linkFd = -1;
    private String mode = "none";
    private final Set<InetAddress> owned = new HashSet<>();
    private final Set<InetAddress> sources = new HashSet<>();
    private final Set<InetAddress> node = new HashSet<>();

    private XdpSteering(String ifName, BpfMap xsks, BpfMap v4, BpfMap v6, BpfMap v4src, BpfMap v6src, BpfMap v4node,
                        BpfMap v6node, int progFd) {
        this.ifName = ifName;
        this.xsks = xsks;
        this.v4 = v4;
        this.v6 = v6;
        this.v4src = v4src;
        this.v6src = v6src;
        this.v4node = v4node;
        this.v6node = v6node;
        this.progFd = progFd;
    }

    /** Creates the maps and loads the program (not attached yet). The error carries the verifier log. */
    public static XdpSteering load(String ifName) {
        BpfMap[] maps = new BpfMap[7];
        try {
            maps[0] = BpfMap.create(BpfMap.TYPE_XSKMAP, "fk_xsks", 4, 4, MAX_QUEUES);
            maps[1] = BpfMap.create(BpfMap.TYPE_HASH, "fk_v4", 4, 1, MAX_ADDRESSES);
            maps[2] = BpfMap.create(BpfMap.TYPE_HASH, "fk_v6", 16, 1, MAX_ADDRESSES);
            maps[3] = BpfMap.create(BpfMap.TYPE_HASH, "fk_v4src", 4, 1, MAX_ADDRESSES);
            maps[4] = BpfMap.create(BpfMap.TYPE_HASH, "fk_v6src", 16, 1, MAX_ADDRESSES);
            maps[5] = BpfMap.create(BpfMap.TYPE_HASH, "fk_v4node", 4, 1, 4096);
            maps[6] = BpfMap.create(BpfMap.TYPE_HASH, "fk_v6node", 16, 1, 4096);
            BpfAssembler prog = program(maps[0].fd(), maps[1].fd(), maps[2].fd(), maps[3].fd(), maps[4].fd(),
                    maps[5].fd(), maps[6].fd());
            int fd = loadProgram(prog, "fulcrum_steer");
            return new XdpSteering(ifName, maps[0], maps[1], maps[2], maps[3], maps[4], maps[5], maps[6], fd);
        } catch (RuntimeException e) {
            for (BpfMap m : maps) {
                if (m != null) {
                    m.close();
                }
            }
            throw e;
        }
    }

    /** The steering program (see the class comment); public for tests that inspect or test-run it. */
    static BpfAssembler program(int xsks, int v4, int v6, int v4src, int v6src, int v4node, int v6node) {
        BpfAssembler a = new BpfAssembler();
        a.movReg(R6, R1)
                .load(W, R7, R6, 0)              // data
                .load(W, R8, R6, 4)              // data_end
                .movReg(R2, R7).addImm(R2, 14).jumpReg(JGT, R2, R8, "pass")
                .load(H, R3, R7, 12)             // EtherType, as a little-endian load of network order
                .jumpImm(JEQ, R3, 0x0008, "ipv4")
                .jumpImm(JEQ, R3, 0x0608, "arp")
                .jumpImm(JEQ, R3, 0xDD86, "ipv6")
                .jump("pass");
        // IPv4: destination owned → redirect; else source a NAT real server and destination not the node's → redirect
        a.label("ipv4")
                .movReg(R2, R7).addImm(R2, 34).jumpReg(JGT, R2, R8, "pass")
                .load(W, R3, R7, 30).store(W, R10, -4, R3);
        lookup(a, v4, 4).jumpImm(JNE, R0, 0, "redirect");
        a.load(W, R3, R7, 26).store(W, R10, -4, R3);
        lookup(a, v4src, 4).jumpImm(JEQ, R0, 0, "pass");
        a.load(W, R3, R7, 30).store(W, R10, -4, R3);
        lookup(a, v4node, 4).jumpImm(JNE, R0, 0, "pass");
        a.jump("redirect");
        // ARP: target protocol address owned → redirect (requests to answer)
        a.label("arp")
                .movReg(R2, R7).addImm(R2, 42).jumpReg(JGT, R2, R8, "pass")
                .load(W, R3, R7, 38).store(W, R10, -4, R3);
        lookup(a, v4, 4).jumpImm(JNE, R0, 0, "redirect");
        a.jump("pass");
        // IPv6: neighbour solicitation for an owned target, destination owned, or NAT real server source
        a.label("ipv6")
                .movReg(R2, R7).addImm(R2, 54).jumpReg(JGT, R2, R8, "pass")
                .load(B, R3, R7, 20).jumpImm(JNE, R3, 58, "v6dst")
                .movReg(R2, R7).addImm(R2, 78).jumpReg(JGT, R2, R8, "v6dst")
                .load(B, R3, R7, 54).jumpImm(JNE, R3, 135, "v6dst");
        copy16(a, 62);
        lookup(a, v6, 16).jumpImm(JNE, R0, 0, "redirect");
        a.jump("pass");
        a.label("v6dst");
        copy16(a, 38);
        lookup(a, v6, 16).jumpImm(JNE, R0, 0, "redirect");
        copy16(a, 22);
        lookup(a, v6src, 16).jumpImm(JEQ, R0, 0, "pass");
        copy16(a, 38);
        lookup(a, v6node, 16).jumpImm(JNE, R0, 0, "pass");
        a.jump("redirect");
        a.label("redirect")
                .loadMapFd(R1, xsks)
                .load(W, R2, R6, 16)             // rx_queue_index
                .movImm(R3, XDP_PASS)            // no socket on this queue: pass
                .call(BpfAssembler.FN_REDIRECT_MAP)
                .exit();
        a.label("pass").movImm(R0, XDP_PASS).exit();
        return a;
    }

    private static BpfAssembler lookup(BpfAssembler a, int mapFd, int keySize) {
        return a.loadMapFd(R1, mapFd).movReg(R2, R10).addImm(R2, -keySize).call(BpfAssembler.FN_MAP_LOOKUP_ELEM);
    }

    private static void copy16(BpfAssembler a, int packetOffset) {
        for (int i = 0; i < 4; i++) {
            a.load(W, R3, R7, packetOffset + 4 * i).store(W, R10, -16 + 4 * i, R3);
        }
    }

    private static int loadProgram(BpfAssembler prog, String name) {
        return XdpLoader.load(prog, name);
    }

    /**
     * Attaches the program to {@code ifindex} with a BPF link: native (driver) mode first when {@code nativeFirst},
     * then generic (SKB) mode. Returns the mode used ("native" or "generic").
     *
     * @throws NativeException naming the errno of the last refusal
     */
    public synchronized String attach(int ifindex, boolean nativeFirst) {
        NativeException first = null;
        if (nativeFirst) {
            try {
                linkFd = link(ifindex, FLAGS_DRV_MODE);
                mode = "native";
                return mode;
            } catch (NativeException e) {
                first = e;
            }
        }
        try {
            linkFd = link(ifindex, FLAGS_SKB_MODE);
            mode = "generic";
            return mode;
        } catch (NativeException e) {
            if (first != null) {
                e.addSuppressed(first);
            }
            throw e;
        }
    }

    private int link(int ifindex, int flags) {
        return XdpLoader.link(progFd, ifindex, flags, ifName);
    }

    /** The attach mode ("native", "generic", or "none"). */
    public synchronized String mode() {
        return mode;
    }

    /** Registers the AF_XDP socket {@code fd} for receive queue {@code queue}. */
    public synchronized void registerSocket(int queue, int fd) {
        xsks.update(queue, fd);
    }

    /**
     * Makes the maps hold exactly these addresses: {@code ownedNow} steered by destination, {@code natSources} by
     * source, {@code nodeAddresses} never stolen by source steering. Returns the number of map changes.
     */
    public synchronized int sync(Set<InetAddress> ownedNow, Set<InetAddress> natSources, Set<InetAddress> nodeAddresses) {
        return apply(owned, ownedNow, v4, v6) + apply(sources, natSources, v4src, v6src)
                + apply(node, nodeAddresses, v4node, v6node);
    }

    private static int apply(Set<InetAddress> current, Set<InetAddress> wanted, BpfMap m4, BpfMap m6) {
        int changes = 0;
        byte[] one = {1};
        for (InetAddress a : Set.copyOf(current)) {
            if (!wanted.contains(a)) {
                (a.getAddress().length == 4 ? m4 : m6).delete(a.getAddress());
                current.remove(a);
                changes++;
            }
        }
        for (InetAddress a : wanted) {
            if (current.add(a)) {
                (a.getAddress().length == 4 ? m4 : m6).update(a.getAddress(), one);
                changes++;
            }
        }
        return changes;
    }

    /** Whether {@code address} is steered by destination now (reads the kernel map). */
    public synchronized boolean steers(InetAddress address) {
        return (address.getAddress().length == 4 ? v4 : v6).contains(address.getAddress());
    }

    /** Detaches (closes the link) and frees the program and maps. */
    @Override
    public synchronized void close() {
        if (linkFd >= 0) {
            Bpf.closeFd(linkFd);
            linkFd = -1;
            mode = "none";
        }
        Bpf.closeFd(progFd);
        for (BpfMap m : new BpfMap[] {xsks, v4, v6, v4src, v6src, v4node, v6node}) {
            m.close();
        }
    }
}
