package io.fulcrum.appliance;

import java.util.List;
import java.util.Set;

/**
 * Initialises, on a second thread, the classes whose static initialisation is the most expensive part of the daemon's
 * start and that the main thread only needs later: {@code io.fulcrum.netlink.Libc}, whose libc downcall handles make
 * the JDK generate a stub class each (a third of the start on a 2-core machine; an AOT cache cannot hold them). The
 * main thread meanwhile parses the command line, configures logging and loads the configuration; when it reaches the
 * dataplane it finds the class initialised or waits for the initialisation in progress (JLS 12.4.2). Not started for
 * {@code -t}, {@code -h}, {@code -v} or {@code demo}, which never touch the kernel.
 *
 * <p>Called once on the main thread, first thing in {@link Fulcrum#main}.
 */
final class StartupWarmup {

    /** Classes initialised ahead, in order. A class that is missing or fails is left to its first real use. */
    static final List<String> CLASSES = List.of("io.fulcrum.netlink.Libc");

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

    /** Starts the warm-up thread when {@code args} start the daemon; returns it, or null. */
    static Thread begin(String[] args) {
        if (!startsDaemon(args)) {
            return null;
        }
        ClassLoader loader = StartupWarmup.class.getClassLoader();
        return Thread.ofPlatform().daemon(true).name("fulcrum-warmup").start(() -> {
            for (String name : CLASSES) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // the first real use reports it (with the cause) where it can be handled
                }
            }
        });
    }
}
