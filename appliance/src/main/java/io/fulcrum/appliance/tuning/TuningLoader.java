package io.fulcrum.appliance.tuning;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.fulcrum.appliance.config.IpLiteral;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and validates {@link Tuning}: {@code reference.conf} defaults under {@code fulcrum}, overridden by an optional
 * HOCON file. Every value is checked; each problem is reported as {@code key = value: what is allowed}, and all problems
 * are reported together. Unknown keys in the override file are errors (they are typos).
 *
 * <p>Stateless; any thread.
 */
public final class TuningLoader {

    private static final String ROOT = "fulcrum";

    private TuningLoader() {
    }

    /**
     * The outcome: the tuning, or the errors.
     *
     * @param tuning the validated tuning, or null when there are errors
     * @param errors every problem found
     */
    public record Result(Tuning tuning, List<String> errors) {
        /** Copies the list. */
        public Result {
            errors = List.copyOf(errors);
        }

        /** Whether the tuning is valid. */
        public boolean ok() {
            return tuning != null;
        }
    }

    /** The defaults alone. */
    public static Result defaults() {
        return load(null);
    }

    /** Loads the defaults overridden by {@code overrideFile} (null: defaults only). */
    public static Result load(Path overrideFile) {
        List<String> errors = new ArrayList<>();
        Config reference;
        try {
            reference = ConfigFactory.parseResources(TuningLoader.class.getClassLoader(), "reference.conf").resolve();
        } catch (ConfigException e) {
            return new Result(null, List.of("reference.conf: " + e.getMessage()));
        }
        Config config = reference;
        if (overrideFile != null) {
            if (!Files.isRegularFile(overrideFile)) {
                return new Result(null, List.of(overrideFile + ": tuning file not found"));
            }
            try {
                Config override = ConfigFactory.parseFile(overrideFile.toFile(),
                        ConfigParseOptions.defaults().setAllowMissing(false));
                if (override.hasPath(ROOT)) {
                    for (Map.Entry<String, ConfigValue> e : override.getConfig(ROOT).entrySet()) {
                        String key = ROOT + "." + e.getKey();
                        if (!reference.hasPathOrNull(key)) {
                            errors.add(location(e.getValue()) + key + ": unknown key");
                        }
                    }
                }
                for (String top : override.root().keySet()) {
                    if (!top.equals(ROOT)) {
                        errors.add(location(override.root().get(top)) + top + ": unknown key (tuning lives under 'fulcrum')");
                    }
                }
                config = override.withFallback(reference).resolve();
            } catch (ConfigException e) {
                return new Result(null, List.of(e.getMessage()));
            }
        }
        Checker c = new Checker(config, errors);
        Tuning.IoMode ioMode = c.ioMode("fulcrum.dataplane.io-mode");
        int workers = c.intRange("fulcrum.dataplane.workers", 0, 256, "an integer in 0..256 (0: one per receive queue)");
        int ring = c.powerOfTwo("fulcrum.dataplane.ring-size", 64, 65536);
        int frameSize = c.intRange("fulcrum.dataplane.frame-size", 2048, 4096, "2048 or 4096");
        if (frameSize != 2048 && frameSize != 4096 && frameSize != -1) {
            c.fail("fulcrum.dataplane.frame-size", "must be 2048 or 4096");
        }
        int frames = c.powerOfTwo("fulcrum.dataplane.frame-count", 1024, 1 << 20);
        int batch = c.intRange("fulcrum.dataplane.batch-size", 1, 1024, "an integer in 1..1024");
        int conns = c.powerOfTwo("fulcrum.dataplane.conn-table-capacity", 1024, 1 << 30);
        if (ring > 0 && frames > 0 && frames < 2 * ring) {
            errors.add("fulcrum.dataplane.frame-count = " + frames + ": must be at least twice fulcrum.dataplane.ring-size ("
                    + ring + ") so both rings can be filled");
        }
        Duration tcp = c.duration("fulcrum.dataplane.timeouts.tcp", 1, 86_400 * 7);
        Duration tcpfin = c.duration("fulcrum.dataplane.timeouts.tcpfin", 1, 86_400);
        Duration udp = c.duration("fulcrum.dataplane.timeouts.udp", 1, 86_400);
        Duration synRecv = c.duration("fulcrum.dataplane.timeouts.syn-recv", 1, 86_400);
        Duration timeWait = c.duration("fulcrum.dataplane.timeouts.time-wait", 1, 86_400);
        Duration close = c.duration("fulcrum.dataplane.timeouts.close", 1, 86_400);
        int mon = c.bytes("fulcrum.netlink.monitor-rcvbuf", 8L << 20, 1L << 30);
        int cmd = c.bytes("fulcrum.netlink.cmd-rcvbuf", 8L << 20, 1L << 30);
        boolean force = c.bool("fulcrum.netlink.force");
        int loops = c.intRange("fulcrum.healthcheck.event-loop-threads", 1, 2, "1 or 2");
        int pool = c.intRange("fulcrum.healthcheck.script-pool-size", 1, 64, "an integer in 1..64");
        Duration scriptTimeout = c.duration("fulcrum.healthcheck.script-timeout", 1, 3600);
        int queue = c.intRange("fulcrum.healthcheck.script-queue", 1, 100_000, "an integer in 1..100000");
        boolean metricsOn = c.bool("fulcrum.metrics.enabled");
        String address = c.string("fulcrum.metrics.address");
        String host = null;
        int port = -1;
        if (address != null) {
            int colon = address.lastIndexOf(':');
            String h = colon < 0 ? "" : address.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            String p = colon < 0 ? "" : address.substring(colon + 1);
            int parsed = p.matches("\\d{1,5}") ? Integer.parseInt(p) : -1;
            if (IpLiteral.parse(h) == null || parsed < 1 || parsed > 65535) {
                errors.add("fulcrum.metrics.address = \"" + address + "\": must be ADDRESS:PORT (IPv6 as [ADDR]:PORT), port 1..65535");
            } else {
                host = h;
                port = parsed;
            }
        }
        String socket = c.string("fulcrum.control.socket");
        if (socket != null && (!socket.startsWith("/") || socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107)) {
            errors.add("fulcrum.control.socket = \"" + socket + "\": must be an absolute path of at most 107 bytes");
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new Tuning(
                new Tuning.Dataplane(ioMode, workers, ring, frameSize, frames, batch, conns,
                        new Tuning.Timeouts(tcp, tcpfin, udp, synRecv, timeWait, close)),
                new Tuning.Netlink(mon, cmd, force),
                new Tuning.Healthcheck(loops, pool, scriptTimeout, queue),
                new Tuning.Metrics(metricsOn, host, port),
                new Tuning.Control(Path.of(socket))), List.of());
    }

    private static String location(ConfigValue v) {
        if (v.origin() == null || v.origin().lineNumber() < 0) {
            return "";
        }
        String f = v.origin().filename();
        return (f == null ? v.origin().description() : f) + ":" + v.origin().lineNumber() + ": ";
    }

    /** Reads typed values and records one message per bad key. */
    private static final class Checker {
        private final Config config;
        private final List<String> errors;

        Checker(Config config, List<String> errors) {
            this.config = config;
            this.errors = errors;
        }

        void fail(String key, String rule) {
            errors.add(key + " = " + raw(key) + ": " + rule);
        }

        private String raw(String key) {
            if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
                return "null";
            }
            return config.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise());
        }

        Long number(String key, String rule) {
            try {
                return config.getLong(key);
            } catch (ConfigException e) {
                fail(key, "must be " + rule);
                return null;
            }
        }

        int intRange(String key, long min, long max, String rule) {
            Long v = number(key, rule);
            if (v == null) {
                return -1;
            }
            if (v < min || v > max) {
                fail(key, "must be " + rule);
                return -1;
            }
            return (int) (long) v;
        }

        int powerOfTwo(String key, long min, long max) {
            String rule = "a power of two in " + min + ".." + max;
            Long v = number(key, rule);
            if (v == null) {
                return -1;
            }
            if (v < min || v > max || Long.bitCount(v) != 1) {
                fail(key, "must be " + rule);
                return -1;
            }
            return (int) (long) v;
        }

        int bytes(String key, long min, long max) {
            String rule = "a size in " + (min >> 20) + "MiB.." + (max >> 20) + "MiB";
            try {
                long v = config.getBytes(key);
                if (v < min || v > max) {
                    fail(key, "must be " + rule);
                    return -1;
                }
                return (int) v;
            } catch (ConfigException e) {
                fail(key, "must be " + rule + " (e.g. 16M)");
                return -1;
            }
        }

        Duration duration(String key, long minSeconds, long maxSeconds) {
            String rule = "a duration in " + minSeconds + "s.." + maxSeconds + "s";
            try {
                Duration d = config.getDuration(key);
                if (d.compareTo(Duration.ofSeconds(minSeconds)) < 0 || d.compareTo(Duration.ofSeconds(maxSeconds)) > 0) {
                    fail(key, "must be " + rule);
                    return null;
                }
                return d;
            } catch (ConfigException e) {
                fail(key, "must be " + rule + " (e.g. 900s)");
                return null;
            }
        }

        boolean bool(String key) {
            try {
                return config.getBoolean(key);
            } catch (ConfigException e) {
                fail(key, "must be true or false");
                return false;
            }
        }

        String string(String key) {
            try {
                return config.getString(key);
            } catch (ConfigException e) {
                fail(key, "must be a string");
                return null;
            }
        }

        Tuning.IoMode ioMode(String key) {
            String s = string(key);
            if (s == null) {
                return null;
            }
            try {
                return Tuning.IoMode.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                fail(key, "must be one of auto|xdp|packet");
                return null;
            }
        }
    }
}
