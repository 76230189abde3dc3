package io.fulcrum.healthcheck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What the configuration asked one checker of a real server to do: one of keepalived's checker blocks.
 *
 * <p>Immutable values; safe from any thread. Two specs that are {@code equals} and aimed at the same target run as one
 * shared check (so every variant is a record with value equality; byte arrays are held as hex strings for that).
 */
public sealed interface CheckSpec {

    /** The options shared by every checker (targets and timers). */
    CheckOptions options();

    /** The keepalived keyword of this checker, e.g. {@code TCP_CHECK}. */
    String keyword();

    /** {@code TCP_CHECK}: a TCP connection is opened and closed. @param options the common options */
    record Tcp(CheckOptions options) implements CheckSpec {
        /** Validates. */
        public Tcp {
            Objects.requireNonNull(options, "options");
        }

        @Override
        public String keyword() {
            return "TCP_CHECK";
        }
    }

    /**
     * One {@code url} block of {@code HTTP_GET}/{@code SSL_GET}.
     *
     * @param path        {@code path}, e.g. {@code /health}
     * @param statusCodes {@code status_code} ranges accepted (empty means 200..299, as keepalived)
     * @param digest      {@code digest}: lower-case hex MD5 of the body, or null
     * @param virtualhost {@code virtualhost} for this url (Host header), or null to use the checker's
     * @param regex       {@code regex} and its companions, matched against the body, or null
     */
    record Url(String path, List<StatusRange> statusCodes, String digest, String virtualhost, BodyRegex regex) {
        /** Validates and copies. */
        public Url {
            Objects.requireNonNull(path, "path");
            statusCodes = List.copyOf(statusCodes);
            digest = digest == null ? null : digest.toLowerCase(java.util.Locale.ROOT);
        }

        /** A url without a regex. */
        public Url(String path, List<StatusRange> statusCodes, String digest, String virtualhost) {
            this(path, statusCodes, digest, virtualhost, null);
        }

        /** A url accepting 2xx with no digest. */
        public static Url of(String path) {
            return new Url(path, List.of(), null, null, null);
        }

        /** Whether {@code code} is accepted. */
        public boolean accepts(int code) {
            if (statusCodes.isEmpty()) {
                return code >= 200 && code <= 299;
            }
            for (StatusRange r : statusCodes) {
                if (code >= r.from() && code <= r.to()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** An inclusive range of HTTP status codes ({@code status_code 200-299} or a single {@code 200}). */
    record StatusRange(int from, int to) {
        /** Validates. */
        public StatusRange {
            if (from < 100 || to > 999 || from > to) {
                throw new IllegalArgumentException("status_code range " + from + "-" + to + " invalid (100..999)");
            }
        }

        /** Parses {@code 200} or {@code 200-299}. */
        public static StatusRange parse(String s) {
            int dash = s.indexOf('-');
            try {
                return dash < 0 ? new StatusRange(Integer.parseInt(s), Integer.parseInt(s))
                        : new StatusRange(Integer.parseInt(s.substring(0, dash)),
                                Integer.parseInt(s.substring(dash + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("status_code '" + s + "' is not a code or range", e);
            }
        }
    }

    /**
     * {@code HTTP_GET} ({@code ssl} false) or {@code SSL_GET} ({@code ssl} true): GET the urls one per attempt, in
     * turn; the checker is up when all have passed (see {@link HttpUrlMachine}).
     *
     * @param options      the common options
     * @param ssl          whether to use TLS (every certificate is trusted, as keepalived does)
     * @param urls         the {@code url} blocks, at least one
     * @param virtualhost  {@code virtualhost} (Host header) for all urls, or null for the target address
     * @param enableSni    {@code enable_sni}: send the virtual host as TLS SNI
     * @param fastRecovery {@code fast_recovery}: at start and while recovering, fetch the urls back to back
     */
    record Http(CheckOptions options, boolean ssl, List<Url> urls, String virtualhost, boolean enableSni,
                boolean fastRecovery) implements CheckSpec {
        /** Validates and copies. */
        public Http {
            Objects.requireNonNull(options, "options");
            urls = List.copyOf(urls);
        }

        /** A check without {@code fast_recovery}. */
        public Http(CheckOptions options, boolean ssl, List<Url> urls, String virtualhost, boolean enableSni) {
            this(options, ssl, urls, virtualhost, enableSni, false);
        }

        @Override
        public String keyword() {
            return ssl ? "SSL_GET" : "HTTP_GET";
        }
    }

    /**
     * {@code SMTP_CHECK}: expect a 220 banner, send {@code HELO}, expect 250, send {@code QUIT}.
     *
     * @param options  the common options
     * @param heloName {@code helo_name} (keepalived's default is {@code smtpchecker.keepalived.org})
     */
    record Smtp(CheckOptions options, String heloName) implements CheckSpec {
        /** Validates. */
        public Smtp {
            Objects.requireNonNull(options, "options");
            heloName = heloName == null ? "smtpchecker.keepalived.org" : heloName;
        }

        @Override
        public String keyword() {
            return "SMTP_CHECK";
        }
    }

    /**
     * {@code MISC_CHECK}: run a script; exit 0 is success.
     *
     * @param options     the common options (only the timers apply)
     * @param path        {@code misc_path}: a command line run with {@code /bin/sh -c}
     * @param timeout     {@code misc_timeout}: the script's process tree is killed after this (default delay_loop)
     * @param dynamic     {@code misc_dynamic}: exit 1 is down, 2..255 is up with weight exit-2
     * @param user        {@code user} to run as, or null for the daemon's own user
     */
    record Misc(CheckOptions options, String path, Duration timeout, boolean dynamic, String user)
            implements CheckSpec {
        /** Validates. */
        public Misc {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String keyword() {
            return "MISC_CHECK";
        }

        /** The first word of the command line, which keepalived's log lines show. */
        public String program() {
            String s = path.strip();
            int sp = s.indexOf(' ');
            return sp < 0 ? s : s.substring(0, sp);
        }
    }

    /**
     * {@code UDP_CHECK}: send a datagram; fail on an ICMP error, or on no reply if {@code require_reply}.
     *
     * @param options      the common options
     * @param payloadHex   {@code payload} as hex (empty for an empty datagram)
     * @param requireReply {@code require_reply}: a reply must arrive within connect_timeout
     * @param replyHex     the expected reply prefix as hex, or null for any reply
     */
    record Udp(CheckOptions options, String payloadHex, boolean requireReply, String replyHex) implements CheckSpec {
        /** Validates. */
        public Udp {
            Objects.requireNonNull(options, "options");
            payloadHex = payloadHex == null ? "" : payloadHex.toLowerCase(java.util.Locale.ROOT);
            HexFormat.of().parseHex(payloadHex);
            if (replyHex != null) {
                replyHex = replyHex.toLowerCase(java.util.Locale.ROOT);
                HexFormat.of().parseHex(replyHex);
            }
        }

        @Override
        public String keyword() {
            return "UDP_CHECK";
        }
    }

    /**
     * {@code DNS_CHECK}: query {@code name} for {@code type}; success when the answer has a record of that type.
     *
     * @param options the common options
     * @param type    {@code type}: A, NS, CNAME, SOA, MX, TXT, AAAA
     * @param name    {@code name} (keepalived's default is the root {@code .})
     */
    record Dns(CheckOptions options, String type, String name) implements CheckSpec {
        /** Validates. */
        public Dns {
            Objects.requireNonNull(options, "options");
            type = type == null ? "SOA" : type.toUpperCase(java.util.Locale.ROOT);
            name = name == null ? "." : name;
        }

        @Override
        public String keyword() {
            return "DNS_CHECK";
        }
    }

    /**
     * {@code PING_CHECK}: ICMP echo (raw ICMP socket through the netlink module; needs the epoll transport and
     * CAP_NET_RAW). @param options the common options ({@code connect_timeout} bounds the wait for the reply)
     */
    record Ping(CheckOptions options) implements CheckSpec {
        /** Validates. */
        public Ping {
            Objects.requireNonNull(options, "options");
        }

        @Override
        public String keyword() {
            return "PING_CHECK";
        }
    }

    /**
     * {@code FILE_CHECK}: a number read from a {@code track_file}, re-read whenever the file is written, moved in,
     * moved away or deleted (inotify, through the JDK's WatchService). With weight 0 a non-zero value means down (a
     * zero value, with {@code reverse}); otherwise value x weight (negated with {@code reverse}) is added to the real
     * server's configured weight (floored at 0), and only a product at or below -2147483648 means down.
     *
     * @param options       the common options (unused: a file check does not poll; kept for sharing and logs)
     * @param file          the {@code file} of the {@code track_file}
     * @param weight        {@code weight} multiplier (the FILE_CHECK's, else the track_file's)
     * @param reverse       {@code reverse}
     * @param initValue     {@code init_file} value of the track_file, or null without {@code init_file}
     * @param initOverwrite {@code init_file ... overwrite}: write the value even when the file exists
     */
    record File(CheckOptions options, Path file, int weight, boolean reverse, Long initValue, boolean initOverwrite)
            implements CheckSpec {
        /** Validates. */
        public File {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(file, "file");
        }

        /** A file check without {@code init_file}. */
        public File(CheckOptions options, Path file, int weight, boolean reverse) {
            this(options, file, weight, reverse, null, false);
        }

        @Override
        public String keyword() {
            return "FILE_CHECK";
        }
    }
}
