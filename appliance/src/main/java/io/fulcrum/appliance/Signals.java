package io.fulcrum.appliance;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.LoggerFactory;

/**
 * Installs handlers for SIGHUP, SIGUSR1, SIGUSR2, SIGTERM and SIGINT through the JDK's {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}), reached reflectively so the build's {@code -Werror} has no internal-API warning to
 * report. Handlers run on the JVM's signal-dispatch thread and must not block for long.
 *
 * <p>Called by the main thread at start.
 */
final class Signals {

    private Signals() {
    }

    /**
     * Routes signal {@code name} ({@code HUP}, {@code TERM}, ...) to {@code handler}; throws
     * {@link IllegalStateException} when the JDK does not offer {@code sun.misc.Signal}.
     */
    static void handle(String name, Runnable handler) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object sig = signal.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[]{handlerType},
                    (p, m, args) -> {
                        if (m.getName().equals("handle")) {
                            handler.run();
                            return null;
                        }
                        return switch (m.getName()) {
                            case "hashCode" -> System.identityHashCode(p);
                            case "equals" -> p == args[0];
                            case "toString" -> "Fulcrum SIG" + name + " handler";
                            default -> null;
                        };
                    });
            Method install = signal.getMethod("handle", signal, handlerType);
            Object previous = install.invoke(null, sig, proxy);
            // The JVM leaves SIGHUP/SIGINT/SIGTERM ignored when they were ignored at start (nohup, a parent's
            // trap): the handler is then not installed and SIG_IGN comes back. Say so once, with the way around it.
            if (previous != null && previous == handlerType.getField("SIG_IGN").get(null)) {
                LoggerFactory.getLogger(Signals.class).warn("SIG{} was ignored when Fulcrum started (nohup or a parent's"
                        + " trap), so it cannot be handled{}", name, name.equals("HUP")
                        ? "; reload with 'fulcrumadm reload' instead, or start without ignoring SIGHUP" : "");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot handle SIG" + name + ": " + e, e);
        }
    }
}
