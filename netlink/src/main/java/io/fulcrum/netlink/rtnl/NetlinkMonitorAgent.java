package io.fulcrum.netlink.rtnl;

import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rtnetlink monitor: follows link and address changes (and optionally routes and neighbours) on a multicast
 * netlink socket, keeps a mirror of them, and delivers typed {@link NetlinkEvent}s to listeners.
 *
 * <p>Lessons from keepalived shape it: the receive buffer is set before the first read ({@code SO_RCVBUFFORCE},
 * falling back to {@code SO_RCVBUF} with a warning) and the size granted is logged; and when the kernel reports an
 * overrun ({@code ENOBUFS}: messages were dropped), the monitor logs
 * {@code Netlink: Receive buffer overrun on monitor socket}, discards what is still queued (it predates the loss),
 * re-dumps links and addresses over its own request socket and reconciles the cache, delivering the changes it missed
 * as events with {@code resync() == true}. Consumers therefore always converge on the kernel's real state. When routes
 * or neighbours are followed, they are re-dumped and reconciled too, after an overrun and whenever a link goes down or
 * away (the kernel flushes a downed link's IPv4 routes without a notification).
 *
 * <p>Create it on a thread that is in the network namespace to watch (its sockets stay there). {@link #doWork()} drains
 * the non-blocking socket and must be called from one thread at a time: an {@code AgentRunner}, or the VRRP thread when
 * {@link #fd()} is readable in its own {@code poll}. Listeners run on that thread. {@link #state()} may be read from any
 * thread.
 */
public final class NetlinkMonitorAgent implements Agent, AutoCloseable {

    /** keepalived's wording for a monitor overrun. */
    public static final String OVERRUN_LOG = "Netlink: Receive buffer overrun on monitor socket";

    private static final Logger LOG = LoggerFactory.getLogger(NetlinkMonitorAgent.class);
    private static final int RTNLGRP_LINK = 1;
    private static final int RTNLGRP_NEIGH = 3;
    private static final int RTNLGRP_IPV4_IFADDR = 5;
    private static final int RTNLGRP_IPV4_ROUTE = 7;
    private static final int RTNLGRP_IPV6_IFADDR = 9;
    private static final int RTNLGRP_IPV6_ROUTE = 11;
    private static final int BUFFER = 1 << 16;
    private static final int MAX_DRAIN = 1_000_000;

    private final NetlinkMonitorContext ctx;
    private final LinuxSocket socket;
    private final Rtnetlink requests;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx = arena.allocate(BUFFER, 8);
    private final NetlinkHeaderFlyweight header = new NetlinkHeaderFlyweight();
    private final IfInfoMsgFlyweight ifinfo = new IfInfoMsgFlyweight();
    private final RtnetlinkCodec codec = new RtnetlinkCodec();
    private final List<NetlinkListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Link> links = new HashMap<>();
    private final Map<Address.Key, Address> addresses = new HashMap<>();
    private final Map<Route.Key, Route> routes = new HashMap<>();
    private final Map<Neighbour.Key, Neighbour> neighbours = new HashMap<>();
    private final int grantedReceiveBuffer;
    private volatile NetlinkState state;
    private volatile long overruns;
    private volatile long messages;
    private boolean dirty;
    private boolean closed;
    private boolean resyncPending;
    private boolean routesStale;
    private boolean neighboursStale;
    private long discardedSinceOverrun;

    /**
     * Opens the monitor and request sockets in the calling thread's namespace, sets the receive buffer, subscribes,
     * and loads the initial state with a dump.
     */
    public NetlinkMonitorAgent(NetlinkMonitorContext context) {
        this.ctx = context.conclude();
        LinuxSocket s = LinuxSocket.netlink(LinuxSocket.NETLINK_ROUTE);
        Rtnetlink r = null;
        try {
            grantedReceiveBuffer = setReceiveBuffer(s, ctx);
            s.bind(SockAddr.netlink(0, 0));
            join(s, RTNLGRP_LINK);
            join(s, RTNLGRP_IPV4_IFADDR);
            join(s, RTNLGRP_IPV6_IFADDR);
            if (ctx.routes()) {
                join(s, RTNLGRP_IPV4_ROUTE);
                join(s, RTNLGRP_IPV6_ROUTE);
            }
            if (ctx.neighbours()) {
                join(s, RTNLGRP_NEIGH);
            }
            s.nonBlocking(true);
            r = Rtnetlink.open();
            for (Link l : r.links()) {
                links.put(l.index(), l);
            }
            for (Address a : r.addresses()) {
                addresses.put(a.key(), a);
            }
            if (ctx.routes()) {
                for (Route rt : dumpRoutes(r)) {
                    routes.put(rt.key(), rt);
                }
            }
            if (ctx.neighbours()) {
                for (Neighbour nb : r.neighbours(0)) {
                    neighbours.put(nb.key(), nb);
                }
            }
        } catch (RuntimeException e) {
            s.close();
            if (r != null) {
                r.close();
            }
            throw e;
        }
        this.socket = s;
        this.requests = r;
        publish();
    }

    private static void join(LinuxSocket s, int group) {
        s.setInt(LinuxSocket.SOL_NETLINK, LinuxSocket.NETLINK_ADD_MEMBERSHIP, group);
    }

    private static int setReceiveBuffer(LinuxSocket s, NetlinkMonitorContext ctx) {
        int want = ctx.receiveBufferBytes();
        if (ctx.forceReceiveBuffer()) {
            try {
                int granted = s.forceReceiveBuffer(want);
                LOG.info("Netlink: monitor socket receive buffer {} bytes requested with SO_RCVBUFFORCE, {} granted",
                        want, granted);
                return granted;
            } catch (NativeException e) {
                LOG.warn("Netlink: cannot force monitor socket receive buffer to {} bytes ({}), falling back to"
                        + " SO_RCVBUF, which net.core.rmem_max caps", want, e.errnoName());
            }
        }
        s.setInt(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVBUF, want);
        int granted = s.getInt(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVBUF);
        if (granted < want) {
            LOG.warn("Netlink: monitor socket receive buffer {} bytes requested with SO_RCVBUF, only {} granted",
                    want, granted);
        } else {
            LOG.info("Netlink: monitor socket receive buffer {} bytes requested with SO_RCVBUF, {} granted",
                    want, granted);
        }
        return granted;
    }

    /** Adds a listener (any thread; takes effect for the next event). */
    public void addListener(NetlinkListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(NetlinkListener listener) {
        listeners.remove(listener);
    }

    /** The monitor socket's descriptor, to include in another thread's poll set (then call {@link #doWork()}). */
    public int fd() {
        return socket.fd();
    }

    /** The receive buffer the kernel granted, as SO_RCVBUF reports it. */
    public int grantedReceiveBuffer() {
        return grantedReceiveBuffer;
    }

    /** The latest snapshot of links and addresses. */
    public NetlinkState state() {
        return state;
    }

    /** How many overruns (ENOBUFS) were recovered from. */
    public long overruns() {
        return overruns;
    }

    /** How many netlink messages were processed. */
    public long messages() {
        return messages;
    }

    @Override
    public String roleName() {
        return "netlink-monitor";
    }

    /** Drains up to the batch limit of datagrams; returns how many were handled (0 when idle). */
    @Override
    public int doWork() {
        int work = 0;
        if (resyncPending) {
            work += resync();
        }
        for (int i = 0; i < ctx.batchLimit(); i++) {
            int n;
            try {
                n = socket.recv(rx, 0, BUFFER);
            } catch (NativeException e) {
                if (e.errno() != Errno.ENOBUFS) {
                    throw e;
                }
                recoverFromOverrun();
                work++;
                continue;
            }
            if (n < 0) {
                break;
            }
            work++;
            handleDatagram(n, false);
        }
        if (routesStale || neighboursStale) {
            work += refreshRoutesAndNeighbours();
        }
        if (dirty) {
            publish();
        }
        return work;
    }

    private void handleDatagram(int n, boolean resync) {
        long off = 0;
        while (off + NetlinkHeaderFlyweight.LENGTH <= n) {
            header.wrap(rx, off);
            int len = header.length();
            if (len < NetlinkHeaderFlyweight.LENGTH || off + len > n) {
                LOG.warn("Netlink: dropped a malformed message (length {} at offset {} of {})", len, off, n);
                return;
            }
            messages++;
            handleMessage(off, header.type(), resync);
            off += NetlinkHeaderFlyweight.align(len);
        }
    }

    private void handleMessage(long off, int type, boolean resync) {
        switch (type) {
            case NetlinkHeaderFlyweight.RTM_NEWLINK, NetlinkHeaderFlyweight.RTM_DELLINK -> {
                // AF_BRIDGE port notifications describe the bridge port, not the link: skip them.
                if (ifinfo.wrap(rx, header.wrap(rx, off).payloadOffset()).family() != 0) {
                    return;
                }
                Link link = codec.decodeLink(rx, off);
                if (type == NetlinkHeaderFlyweight.RTM_NEWLINK) {
                    linkUpdated(link, resync);
                } else {
                    linkRemoved(link, resync);
                }
            }
            case NetlinkHeaderFlyweight.RTM_NEWADDR -> {
                Address a = codec.decodeAddress(rx, off);
                if (a != null) {
                    addressUpdated(a, resync);
                }
            }
            case NetlinkHeaderFlyweight.RTM_DELADDR -> {
                Address a = codec.decodeAddress(rx, off);
                if (a != null) {
                    addressRemoved(a.key(), resync);
                }
            }
            case NetlinkHeaderFlyweight.RTM_NEWROUTE -> {
                boolean replace = (header.wrap(rx, off).flags() & NetlinkHeaderFlyweight.NLM_F_REPLACE) != 0;
                routeUpdated(codec.decodeRoute(rx, off), replace, resync);
            }
            case NetlinkHeaderFlyweight.RTM_DELROUTE -> routeRemoved(codec.decodeRoute(rx, off).key(), resync);
            case NetlinkHeaderFlyweight.RTM_NEWNEIGH -> {
                Neighbour nb = codec.decodeNeighbour(rx, off);
                if (nb != null) {
                    neighbourUpdated(nb, resync);
                }
            }
            case NetlinkHeaderFlyweight.RTM_DELNEIGH -> {
                Neighbour nb = codec.decodeNeighbour(rx, off);
                if (nb != null) {
                    neighbourRemoved(nb.key(), resync);
                }
            }
            default -> {
                // NLMSG_NOOP and others: nothing to do
            }
        }
    }

    private void linkUpdated(Link link, boolean resync) {
        Link old = links.put(link.index(), link);
        if (link.equals(old)) {
            return;
        }
        dirty = true;
        if (old != null && (old.flags() & IfInfoMsgFlyweight.IFF_UP & ~link.flags()) != 0
                || old != null && old.isUp() && !link.isUp()) {
            // The kernel flushes IPv4 routes (and neighbours) of a downed link without telling anyone.
            markRoutesStale();
        }
        if (old == null) {
            deliver(new NetlinkEvent.LinkAdded(link, resync));
        } else if (old.isUp() != link.isUp()) {
            deliver(link.isUp() ? new NetlinkEvent.LinkUp(link, resync) : new NetlinkEvent.LinkDown(link, resync));
        } else {
            deliver(new NetlinkEvent.LinkChanged(old, link, resync));
        }
    }

    private void linkRemoved(Link link, boolean resync) {
        Link old = links.remove(link.index());
        if (old == null) {
            return;
        }
        dirty = true;
        // The kernel normally sends RTM_DELADDR first; drop any addresses it did not mention.
        for (Iterator<Map.Entry<Address.Key, Address>> it = addresses.entrySet().iterator(); it.hasNext(); ) {
            Address a = it.next().getValue();
            if (a.ifindex() == old.index()) {
                it.remove();
                deliver(new NetlinkEvent.AddressRemoved(a, resync));
            }
        }
        markRoutesStale();
        deliver(new NetlinkEvent.LinkRemoved(old, resync));
    }

    private void markRoutesStale() {
        routesStale |= ctx.routes();
        neighboursStale |= ctx.neighbours();
    }

    private void routeUpdated(Route r, boolean replace, boolean resync) {
        if (!ctx.routes()) {
            deliver(new NetlinkEvent.RouteAdded(r, resync));
            return;
        }
        if (replace) {
            List<Route.Key> replaced = new ArrayList<>();
            for (Route.Key k : routes.keySet()) {
                if (k.family() == r.family() && k.table() == r.table() && k.dstLength() == r.dstLength()
                        && k.priority() == r.priority() && java.util.Objects.equals(k.destination(), r.destination())
                        && !k.equals(r.key())) {
                    replaced.add(k);
                }
            }
            for (Route.Key k : replaced) {
                routes.remove(k);
            }
        }
        Route old = routes.put(r.key(), r);
        if (!r.equals(old)) {
            dirty = true;
            deliver(new NetlinkEvent.RouteAdded(r, resync));
        }
    }

    private void routeRemoved(Route.Key key, boolean resync) {
        Route old = routes.remove(key);
        if (old != null) {
            dirty = true;
            deliver(new NetlinkEvent.RouteRemoved(old, resync));
        }
    }

    private void neighbourUpdated(Neighbour n, boolean resync) {
        Neighbour old = neighbours.put(n.key(), n);
        if (!n.equals(old)) {
            dirty = true;
            deliver(new NetlinkEvent.NeighbourChanged(n, resync));
        }
    }

    private void neighbourRemoved(Neighbour.Key key, boolean resync) {
        Neighbour old = neighbours.remove(key);
        if (old != null) {
            dirty = true;
            deliver(new NetlinkEvent.NeighbourRemoved(old, resync));
        }
    }

    private static List<Route> dumpRoutes(Rtnetlink r) {
        List<Route> all = new ArrayList<>(r.routes(2));
        all.addAll(r.routes(10));
        return all;
    }

    /**
     * Re-dumps routes and/or neighbours after a link went down or away (the kernel flushes IPv4 routes silently) and
     * delivers the differences; stays pending when the dump fails.
     */
    private int refreshRoutesAndNeighbours() {
        try {
            if (routesStale) {
                reconcileRoutes(dumpRoutes(requests));
                routesStale = false;
            }
            if (neighboursStale) {
                reconcileNeighbours(requests.neighbours(0));
                neighboursStale = false;
            }
        } catch (NativeException e) {
            LOG.warn("Netlink: route/neighbour re-dump failed ({}), retrying", e.getMessage());
            return 0;
        }
        return 1;
    }

    private int reconcileRoutes(List<Route> fresh) {
        int changes = 0;
        Map<Route.Key, Route> next = new HashMap<>();
        for (Route r : fresh) {
            next.put(r.key(), r);
        }
        for (Route.Key k : new ArrayList<>(routes.keySet())) {
            if (!next.containsKey(k)) {
                routeRemoved(k, true);
                changes++;
            }
        }
        for (Route r : next.values()) {
            if (!r.equals(routes.get(r.key()))) {
                routeUpdated(r, false, true);
                changes++;
            }
        }
        return changes;
    }

    private int reconcileNeighbours(List<Neighbour> fresh) {
        int changes = 0;
        Map<Neighbour.Key, Neighbour> next = new HashMap<>();
        for (Neighbour n : fresh) {
            next.put(n.key(), n);
        }
        for (Neighbour.Key k : new ArrayList<>(neighbours.keySet())) {
            if (!next.containsKey(k)) {
                neighbourRemoved(k, true);
                changes++;
            }
        }
        for (Neighbour n : next.values()) {
            if (!n.equals(neighbours.get(n.key()))) {
                neighbourUpdated(n, true);
                changes++;
            }
        }
        return changes;
    }

    private void addressUpdated(Address a, boolean resync) {
        Address old = addresses.put(a.key(), a);
        if (a.equals(old)) {
            return;
        }
        dirty = true;
        if (old == null) {
            deliver(new NetlinkEvent.AddressAdded(a, resync));
        }
    }

    private void addressRemoved(Address.Key key, boolean resync) {
        Address old = addresses.remove(key);
        if (old != null) {
            dirty = true;
            deliver(new NetlinkEvent.AddressRemoved(old, resync));
        }
    }

    /**
     * ENOBUFS: messages were lost. What is still queued predates or straddles the loss, so it is discarded; then a
     * fresh dump replaces the cache and every difference is delivered as a synthesized event. Events queued after the
     * drain are newer than the discarded ones and are applied on top (each carries the full object state).
     */
    private void recoverFromOverrun() {
        overruns++;
        LOG.warn(OVERRUN_LOG);
        int discarded = 0;
        for (int i = 0; i < MAX_DRAIN; i++) {
            int n;
            try {
                n = socket.recv(rx, 0, BUFFER);
            } catch (NativeException e) {
                if (e.errno() == Errno.ENOBUFS) {
                    continue;
                }
                throw e;
            }
            if (n < 0) {
                break;
            }
            discarded++;
        }
        resyncPending = true;
        discardedSinceOverrun += discarded;
        resync();
    }

    /** Re-dumps and reconciles; if the dump fails it stays pending and is retried on the next {@code doWork()}. */
    private int resync() {
        List<Link> freshLinks;
        List<Address> freshAddresses;
        try {
            freshLinks = requests.links();
            freshAddresses = requests.addresses();
        } catch (NativeException e) {
            LOG.warn("Netlink: re-dump after overrun failed ({}), retrying", e.getMessage());
            return 0;
        }
        resyncPending = false;
        int changes = reconcile(freshLinks, freshAddresses);
        markRoutesStale();
        refreshRoutesAndNeighbours(); // on failure stays stale and doWork() retries
        publish();
        deliver(new NetlinkEvent.Resynchronized(overruns));
        LOG.info("Netlink: re-synchronised after overrun: {} queued datagrams discarded, {} links and {} addresses"
                + " dumped, {} missed changes delivered", discardedSinceOverrun, freshLinks.size(),
                freshAddresses.size(), changes);
        discardedSinceOverrun = 0;
        return 1;
    }

    private int reconcile(List<Link> freshLinks, List<Address> freshAddresses) {
        int changes = 0;
        Map<Integer, Link> nextLinks = new HashMap<>();
        for (Link l : freshLinks) {
            nextLinks.put(l.index(), l);
        }
        Map<Address.Key, Address> nextAddresses = new HashMap<>();
        for (Address a : freshAddresses) {
            nextAddresses.put(a.key(), a);
        }
        List<Address> goneAddresses = new ArrayList<>();
        for (Address a : addresses.values()) {
            if (!nextAddresses.containsKey(a.key())) {
                goneAddresses.add(a);
            }
        }
        for (Address a : goneAddresses) {
            addressRemoved(a.key(), true);
            changes++;
        }
        List<Link> goneLinks = new ArrayList<>();
        for (Link l : links.values()) {
            if (!nextLinks.containsKey(l.index())) {
                goneLinks.add(l);
            }
        }
        for (Link l : goneLinks) {
            linkRemoved(l, true);
            changes++;
        }
        for (Link l : freshLinks) {
            if (!l.equals(links.get(l.index()))) {
                linkUpdated(l, true);
                changes++;
            }
        }
        for (Address a : freshAddresses) {
            if (!a.equals(addresses.get(a.key()))) {
                addressUpdated(a, true);
                changes++;
            }
        }
        dirty = true;
        return changes;
    }

    private void deliver(NetlinkEvent event) {
        for (NetlinkListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Netlink: listener {} failed on {}", l, event, e);
            }
        }
    }

    private void publish() {
        state = new NetlinkState(links, addresses, routes, neighbours);
        dirty = false;
    }

    /** Closes both sockets (idempotent; also called by the runner's {@code onClose}). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        requests.close();
        arena.close();
    }

    @Override
    public void onClose() {
        close();
    }
}
