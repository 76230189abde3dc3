package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.util.concurrent.Callable;

/**
 * An open network namespace ({@code /run/netns/NAME} or {@code /proc/thread-self/ns/net}), and the {@code setns(2)}
 * that moves the CALLING THREAD into it.
 *
 * <p>Linux lets each thread of a process sit in its own network namespace. Sockets, netlink requests and interface
 * lookups made by a thread act in that thread's namespace, and a socket stays in the namespace it was opened in after
 * the thread moves on. So a test or the appliance can open sockets inside {@code fk1234-a} from a thread of the same
 * JVM: {@code NetNs.callIn("fk1234-a", () -> LinuxSocket.rawIpv4(112))}. Use platform threads only (a virtual
 * thread's carrier would carry the namespace to other tasks). An instance holds a file descriptor; close it.
 */
public final class NetNs implements AutoCloseable {

    /** {@code CLONE_NEWNET}. */
    public static final int CLONE_NEWNET = 0x40000000;

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private final String path;
    private int fd;

    private NetNs(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens the namespace file {@code path}. */
    public static NetNs openPath(String path) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.open(arena.allocateFrom(path).address(), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw NativeException.last("open", path);
            }
            return new NetNs(path, fd);
        }
    }

    /** Opens the named namespace {@code /run/netns/NAME} (as made by {@code ip netns add NAME}). */
    public static NetNs open(String name) {
        if (name.indexOf('/') >= 0 || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("bad network namespace name: '" + name + "'");
        }
        return openPath("/run/netns/" + name);
    }

    /** Opens the calling thread's current network namespace (to return to it later). */
    public static NetNs current() {
        return openPath("/proc/thread-self/ns/net");
    }

    /** Moves the calling thread into this namespace. */
    public void enter() {
        if (fd < 0) {
            throw new IllegalStateException("namespace closed: " + path);
        }
        if (Libc.setns(fd, CLONE_NEWNET) != 0) {
            throw NativeException.last("setns(CLONE_NEWNET)", path);
        }
    }

    /** Moves the calling thread into the named namespace for good. */
    public static void enter(String name) {
        try (NetNs ns = open(name)) {
            ns.enter();
        }
    }

    /** Runs {@code task} on the calling thread inside the named namespace, then moves the thread back. */
    public static <T> T callIn(String name, Callable<T> task) throws Exception {
        try (NetNs home = current(); NetNs target = open(name)) {
            target.enter();
            try {
                return task.call();
            } finally {
                home.enter();
            }
        }
    }

    /** Like {@link #callIn} for a task that throws no checked exception. */
    public static void runIn(String name, Runnable task) {
        try {
            callIn(name, () -> {
                task.run();
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a new platform thread named {@code threadName} that enters the namespace, then runs {@code task}. */
    public static Thread startThread(String name, String threadName, Runnable task) {
        return Thread.ofPlatform().name(threadName).start(() -> {
            enter(name);
            task.run();
        });
    }

    /**
     * A thread factory whose platform threads enter the named namespace before running their task (for an
     * {@code AgentRunner} or an executor that must act inside the namespace).
     */
    public static java.util.concurrent.ThreadFactory threadFactory(String name) {
        return task -> Thread.ofPlatform().name("netns-" + name).unstarted(() -> {
            enter(name);
            task.run();
        });
    }

    /** The namespace file this instance opened. */
    public String path() {
        return path;
    }

    /** Closes the namespace file descriptor (idempotent). */
    @Override
    public void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return "netns " + path;
    }
}
