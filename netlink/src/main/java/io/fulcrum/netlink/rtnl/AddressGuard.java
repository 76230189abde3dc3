package io.fulcrum.netlink.rtnl;

import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.IpText;
import io.fulcrum.netlink.NativeException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces address ownership: consumers declare the addresses they own on an interface, and when one is removed by
 * someone else (NetworkManager, an admin's {@code ip addr del}, a flap) the guard logs it and puts it back.
 *
 * <p>Restores are rate-limited per address: at most {@code maxRestores} within {@code window}. When another agent
 * keeps removing the address, the guard logs once that it is fighting that agent and backs off until the window
 * allows another restore, so two daemons never fight in a tight loop. Time comes from the injected clock.
 *
 * <p>Register it as a listener of a {@link NetlinkMonitorAgent} and run {@link #doWork()} on the monitor's thread
 * (e.g. both in one {@code CompositeAgent}); {@link #own} and {@link #release} may be called from any thread. An
 * owned address follows its interface by name: if the interface is deleted and created again (a new index), the address
 * is restored on the new one.
 */
public final class AddressGuard implements Agent, NetlinkListener {

    /** Default restores allowed per window. */
    public static final int DEFAULT_MAX_RESTORES = 5;
    /** Default rate-limit window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    /** Writes an address to the kernel; {@link Rtnetlink#addAddress} in production. */
    @FunctionalInterface
    interface AddressWriter {
        void add(int ifindex, InetAddress address, int prefixLength);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AddressGuard.class);

    private static final class Owned {
        Address.Key key;
        final String owner;
        final String ifname;
        boolean linkGone;
        final long[] restoreTimes;
        int restoreCount;
        boolean missing;
        boolean backingOff;
        boolean unavailableLogged;
        long nextAttemptNs;
        long removals;

        Owned(Address.Key key, String owner, String ifname, int maxRestores) {
            this.key = key;
            this.owner = owner;
            this.ifname = ifname;
            this.restoreTimes = new long[maxRestores];
        }
    }

    private final AddressWriter writer;
    private final IntFunction<String> names;
    private final NanoClock clock;
    private final int maxRestores;
    private final long windowNs;
    private final Map<Address.Key, Owned> owned = new LinkedHashMap<>();
    private long restores;
    private long backoffs;

    /** A guard writing through {@code requests}, allowing {@code maxRestores} per {@code window} per address. */
    public AddressGuard(Rtnetlink requests, NanoClock clock, int maxRestores, Duration window) {
        this(requests::addAddress, index -> {
            try {
                return requests.link(index).map(Link::name).orElse("ifindex " + index);
            } catch (RuntimeException e) {
                return "ifindex " + index;
            }
        }, clock, maxRestores, window);
    }

    /** A guard with the default limit of 5 restores per 10 s. */
    public AddressGuard(Rtnetlink requests, NanoClock clock) {
        this(requests, clock, DEFAULT_MAX_RESTORES, DEFAULT_WINDOW);
    }

    AddressGuard(AddressWriter writer, IntFunction<String> names, NanoClock clock, int maxRestores,
            Duration window) {
        if (maxRestores < 1) {
            throw new IllegalArgumentException("address guard max restores " + maxRestores + " must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("address guard window " + window + " must be positive");
        }
        this.writer = writer;
        this.names = names;
        this.clock = clock;
        this.maxRestores = maxRestores;
        this.windowNs = window.toNanos();
    }

    /**
     * Declares {@code address/prefixLength} on {@code ifindex} owned by {@code owner} (e.g. {@code "(VI_1)"}) and
     * makes sure it is present (adding it now; already present is fine).
     */
    public synchronized void own(int ifindex, InetAddress address, int prefixLength, String owner) {
        Address.Key key = new Address.Key(ifindex, address, prefixLength);
        Owned o = owned.computeIfAbsent(key, k -> new Owned(k, owner, names.apply(ifindex), maxRestores));
        try {
            writer.add(ifindex, address, prefixLength);
            o.missing = false;
        } catch (NativeException e) {
            if (e.errno() != Errno.EEXIST) {
                o.missing = true;
                o.nextAttemptNs = clock.nanoTime();
                throw e;
            }
            o.missing = false;
        }
    }

    /** Stops guarding the address (call before deleting it on purpose). Returns whether it was owned. */
    public synchronized boolean release(int ifindex, InetAddress address, int prefixLength) {
        return owned.remove(new Address.Key(ifindex, address, prefixLength)) != null;
    }

    /** The keys currently owned. */
    public synchronized List<Address.Key> ownedAddresses() {
        return new ArrayList<>(owned.keySet());
    }

    /** Total restores performed. */
    public synchronized long restores() {
        return restores;
    }

    /** How many times the guard backed off because the rate limit was reached. */
    public synchronized long backoffs() {
        return backoffs;
    }

    @Override
    public synchronized void onEvent(NetlinkEvent event) {
        switch (event) {
            case NetlinkEvent.AddressRemoved r -> {
                Owned o = owned.get(r.address().key());
                if (o != null && !o.missing) {
                    o.missing = true;
                    o.removals++;
                    LOG.warn("Netlink: owned address {} of {} was removed from {} by another agent",
                            r.address().cidr(), o.owner, o.ifname);
                }
            }
            case NetlinkEvent.AddressAdded a -> {
                Owned o = owned.get(a.address().key());
                if (o != null) {
                    o.missing = false;
                }
            }
            case NetlinkEvent.LinkRemoved l -> {
                for (Owned o : owned.values()) {
                    if (o.key.ifindex() == l.link().index() && !o.linkGone) {
                        o.linkGone = true;
                        o.missing = true;
                        LOG.warn("Netlink: interface {} carrying owned address {} of {} was removed; the address"
                                + " will be restored when {} returns", o.ifname, cidr(o), o.owner, o.ifname);
                    }
                }
            }
            case NetlinkEvent.LinkAdded l -> relink(l.link());
            case NetlinkEvent.LinkChanged c -> relink(c.after());
            default -> {
                // other events do not concern owned addresses
            }
        }
    }

    /** An interface with an owned address's name appeared (again), possibly with a new index: re-key and restore. */
    private void relink(Link link) {
        List<Owned> moved = new ArrayList<>();
        for (Owned o : owned.values()) {
            if (o.ifname.equals(link.name()) && (o.linkGone || o.key.ifindex() != link.index())) {
                moved.add(o);
            }
        }
        for (Owned o : moved) {
            owned.remove(o.key);
            o.key = new Address.Key(link.index(), o.key.address(), o.key.prefixLength());
            o.linkGone = false;
            o.missing = true;
            o.nextAttemptNs = clock.nanoTime();
            owned.put(o.key, o);
            LOG.info("Netlink: interface {} is back (index {}); restoring owned address {} of {}", o.ifname,
                    link.index(), cidr(o), o.owner);
        }
    }

    private static String cidr(Owned o) {
        return IpText.format(o.key.address()) + "/" + o.key.prefixLength();
    }

    @Override
    public synchronized int doWork() {
        int work = 0;
        long now = clock.nanoTime();
        for (Owned o : owned.values()) {
            if (o.missing && !o.linkGone && now - o.nextAttemptNs >= 0) {
                work += restore(o, now);
            }
        }
        return work;
    }

    private int restore(Owned o, long now) {
        int inWindow = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(o.restoreCount, maxRestores); i++) {
            long t = o.restoreTimes[i];
            if (now - t < windowNs) {
                inWindow++;
                oldest = Math.min(oldest, t);
            }
        }
        String cidr = cidr(o);
        if (inWindow >= maxRestores) {
            o.nextAttemptNs = oldest + windowNs;
            if (!o.backingOff) {
                o.backingOff = true;
                backoffs++;
                LOG.warn("Netlink: owned address {} of {} on {} restored {} times within {} ms and removed again:"
                        + " another agent is fighting Fulcrum over it; backing off for {} ms",
                        cidr, o.owner, o.ifname, inWindow, windowNs / 1_000_000,
                        (o.nextAttemptNs - now) / 1_000_000);
            }
            return 0;
        }
        try {
            writer.add(o.key.ifindex(), o.key.address(), o.key.prefixLength());
        } catch (NativeException e) {
            if (e.errno() == Errno.ENODEV) {
                o.linkGone = true; // wait for the interface to return (LinkAdded)
                LOG.warn("Netlink: cannot restore owned address {} of {}: {} is gone", cidr, o.owner, o.ifname);
                return 1;
            }
            if (e.errno() != Errno.EEXIST) {
                o.nextAttemptNs = now + windowNs / maxRestores;
                if (!o.unavailableLogged) {
                    o.unavailableLogged = true;
                    LOG.error("Netlink: cannot restore owned address {} of {}: {}", cidr, o.owner, e.getMessage());
                }
                return 1;
            }
        }
        o.unavailableLogged = false;
        o.missing = false;
        o.restoreTimes[o.restoreCount % maxRestores] = now;
        o.restoreCount++;
        restores++;
        if (o.backingOff) {
            o.backingOff = false;
            LOG.info("Netlink: resuming restores of owned address {} of {} on {} after backing off", cidr, o.owner,
                    o.ifname);
        }
        LOG.info("Netlink: restored owned address {} of {} on {}", cidr, o.owner, o.ifname);
        return 1;
    }

    @Override
    public String roleName() {
        return "address-guard";
    }
}
