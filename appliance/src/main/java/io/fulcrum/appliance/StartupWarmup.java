package io.fulcrum.appliance;

import java.util.List;
import java.util.Set;

/**
 * Initialises, on other threads, the classes whose static initialisation costs the daemon's start the most and that
 * the main thread only needs later, so that on a multi-core machine the work overlaps: {@code io.fulcrum.netlink.Libc}
 * (its libc downcall handles make the JDK generate a stub class each, which an AOT cache cannot hold) from the first
 * line of {@link Fulcrum#main}, while the main thread parses the options, configures logging and loads the
 * configuration; and Netty's {@code Epoll} (native library, used by the health checkers) once logging is configured,
 * because Netty's logger set-up would otherwise race with it. When the main thread reaches such a class it finds it
 * initialised or waits for the initialisation in progress (JLS 12.4.2). Nothing starts for {@code -t}, {@code -h},
 * {@code -v} or {@code demo}, or when the system property {@code fulcrum.warmup} is {@code false}
 * ({@code FULCRUM_JAVA_OPTS=-Dfulcrum.warmup=false}, for measuring).
 *
 * <p>Called only on the main thread.
 */
final class StartupWarmup {

    /** Classes initialised from the start of main, in order. A missing or failing class is left to its first use. */
    static final List<String> EARLY = List.of("io.fulcrum.netlink.Libc");
    /** Classes initialised once logging is configured (they log while initialising). */
    static final List<String> AFTER_LOGGING = List.of("io.netty.channel.epoll.Epoll");

    private static final Set<String> NO_DAEMON = Set.of("-t", "--config-test", "-h", "--help", "-v", "--version");

    private StartupWarmup() {
    }

    /** Whether {@code args} start the daemon (the only case the warm-up helps). */
    static boolean startsDaemon(String[] args) {
        if (args.length > 0 && args[0].equals("demo")) {
            return false;
        }
        for (String a : args) {
            if (NO_DAEMON.contains(a)) {
                return false;
            }
        }
        return true;
    }

    private static boolean enabled() {
        return !"false".equals(System.getProperty("fulcrum.warmup"));
    }

    /** Starts the early warm-up thread when {@code args} start the daemon; returns it, or null. */
    static Thread begin(String[] args) {
        return startsDaemon(args) && enabled() ? start("fulcrum-warmup", EARLY) : null;
    }

    /** Starts the second warm-up thread (after logging is configured) when health checks will run; or null. */
    static Thread afterLogging(boolean healthChecks) {
        return healthChecks && enabled() ? start("fulcrum-warmup-2", AFTER_LOGGING) : null;
    }

    private static Thread start(String name, List<String> classes) {
        ClassLoader loader = StartupWarmup.class.getClassLoader();
        return Thread.ofPlatform().daemon(true).name(name).start(() -> {
            for (String c : classes) {
                try {
                    Class.forName(c, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // the first real use reports it (with the cause) where it can be handled
                }
            }
        });
    }
}
