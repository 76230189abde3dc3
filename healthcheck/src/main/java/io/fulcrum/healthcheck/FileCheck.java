package io.fulcrum.healthcheck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FILE_CHECK}: follows the number in a {@code track_file}, as keepalived 2.x's {@code track_file.c} and
 * {@code check_file.c} do. The file is read once at launch and then whenever {@link TrackFileWatcher} sees it written,
 * created, moved in, moved away or deleted (a file that disappears reads as 0); it is never polled.
 *
 * <p>The value becomes a status: with weight 0, {@link #FAULT} when the value is non-zero (zero, with
 * {@code reverse}), else 0; otherwise value x weight (negated with {@code reverse}), clamped to the int range, where
 * only {@link #FAULT} (-2147483648) means down. Each change of status is applied to every real server using this
 * check: into FAULT the checker goes down (keepalived's {@code Removing service ...}); out of FAULT the status becomes
 * the weight offset and the checker comes up; between two other statuses the real server's weight becomes its
 * configured weight plus the status ({@code Changing weight from ...}).
 *
 * <p>{@link #initialStatus()} runs on the launching thread; {@link #changed} on the watcher thread. Subscribers are
 * added before launch. The state it drives ({@link VirtualServerState}) is thread-safe.
 */
final class FileCheck {

    private static final Logger LOG = LoggerFactory.getLogger(FileCheck.class);

    /** keepalived's IPVS_WEIGHT_FAULT: the status that means down. */
    static final long FAULT = Integer.MIN_VALUE;

    private final CheckSpec.File spec;
    private final List<SharedCheck.Subscriber> subscribers = new ArrayList<>(1);
    private long status;

    FileCheck(CheckSpec.File spec) {
        this.spec = spec;
    }

    CheckSpec.File spec() {
        return spec;
    }

    void subscribe(SharedCheck.Subscriber s) {
        subscribers.add(s);
    }

    /**
     * Applies {@code init_file}: writes the value (and a newline) when the file is missing, or with
     * {@code overwrite} also over an existing regular file, except after a reload. A failure is logged, as keepalived
     * does.
     */
    void initialise(boolean reload) {
        if (spec.initValue() == null) {
            return;
        }
        Path f = spec.file();
        if (Files.exists(f)) {
            if (!spec.initOverwrite() || reload) {
                return;
            }
            if (!Files.isRegularFile(f)) {
                LOG.warn("Cannot initialise track file {} - it is not a regular file", f);
                return;
            }
        }
        try {
            Files.writeString(f, spec.initValue() + "\n");
        } catch (IOException e) {
            LOG.warn("Unable to initialise track file {}: {}", f, e.getMessage());
        }
    }

    /** Reads the file at launch and returns (and remembers) its status. */
    synchronized long initialStatus() {
        Long v = read(spec.file());
        status = status(v == null ? 0 : v);
        return status;
    }

    /** The current status (after {@link #initialStatus()}). */
    synchronized long status() {
        return status;
    }

    /** Whether {@code status} means down. */
    static boolean fault(long status) {
        return status == FAULT;
    }

    /** The weight change a non-FAULT status asks for. */
    static ProbeResult.WeightChange offset(long status) {
        return new ProbeResult.WeightChange(ProbeResult.WeightChange.Mode.OFFSET,
                (int) Math.max(-65535, Math.min(65535, status)));
    }

    /** The status a value gives under this check's weight. */
    long status(long value) {
        if (spec.weight() == 0) {
            boolean failed = spec.reverse() ? value == 0 : value != 0;
            return failed ? FAULT : 0;
        }
        long product = value * spec.weight() * (spec.reverse() ? -1 : 1);
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, product));
    }

    /**
     * The file changed ({@code gone}: deleted or moved away, which reads as 0). Called on the watcher thread; applies
     * the new status to every subscriber.
     */
    synchronized void changed(boolean gone) {
        long value;
        if (gone) {
            value = 0;
        } else {
            Long v = read(spec.file());
            if (v == null) {
                return;
            }
            value = v;
        }
        long next = status(value);
        long previous = status;
        if (next == previous) {
            return;
        }
        status = next;
        for (SharedCheck.Subscriber s : subscribers) {
            if (fault(next)) {
                s.vs().onChecker(s.rs(), s.checker(), false);
                s.vs().setWeightQuietly(s.rs(), offset(0));
            } else if (fault(previous)) {
                s.vs().setWeightQuietly(s.rs(), offset(next));
                s.vs().onChecker(s.rs(), s.checker(), true);
            } else {
                s.vs().onWeight(s.rs(), offset(next));
            }
        }
    }

    /**
     * keepalived's read of a track file: at most 127 bytes, a C {@code strtol(.., 0)} number (leading blanks, a sign,
     * {@code 0x} hex or leading-0 octal; anything after the digits ignored; no digits is 0). A missing or unreadable
     * file is 0. A number outside -2147483648..2147483648 is logged and ignored (null).
     */
    static Long read(Path file) {
        byte[] buf;
        try (InputStream in = Files.newInputStream(file)) {
            buf = in.readNBytes(127);
        } catch (NoSuchFileException e) {
            return 0L;
        } catch (IOException | RuntimeException e) {
            return 0L;
        }
        String s = new String(buf, StandardCharsets.ISO_8859_1);
        Long v = strtol(s);
        if (v == null) {
            LOG.info("Invalid number {} read from {} - ignoring", s.strip(), file);
        }
        return v;
    }

    /** C strtol with base 0, limited to -2147483648..2147483648; null when out of that range. */
    static Long strtol(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            base = 8;
        }
        long v = 0;
        boolean big = false;
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 0x7f) {
                break;
            }
            v = v * base + d;
            if (v > (1L << 40)) {
                big = true;
                v = 1L << 40;
            }
            i++;
        }
        long r = negative ? -v : v;
        if (big || r < Integer.MIN_VALUE || r > (long) Integer.MAX_VALUE + 1) {
            return null;
        }
        return r;
    }
}
