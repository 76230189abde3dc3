package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A health checker block inside a {@code real_server}: {@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET},
 * {@code MISC_CHECK}, {@code UDP_CHECK}, {@code DNS_CHECK}, {@code PING_CHECK}, {@code SMTP_CHECK}, {@code FILE_CHECK}
 * or {@code BFD_CHECK}.
 *
 * <p>Implementations are immutable; any thread.
 */
public sealed interface Checker {

    /** The block keyword ({@code TCP_CHECK}, ...). */
    String type();

    /** Where the block starts. */
    Origin origin();

    /**
     * Settings every connecting checker shares; null fields inherit from the real server / virtual server.
     *
     * @param connectIp {@code connect_ip} or null
     * @param connectPort {@code connect_port} or null
     * @param bindto {@code bindto} or null
     * @param bindPort {@code bind_port} or null
     * @param bindIf {@code bind_if} or null
     * @param fwmark {@code fwmark} or null
     * @param connectTimeout {@code connect_timeout} or null (default 5 s)
     * @param retry {@code retry} / {@code nb_get_retry} or null (default 1)
     * @param delayBeforeRetry {@code delay_before_retry} or null (default 1 s)
     * @param warmup {@code warmup} or null
     * @param delayLoop {@code delay_loop} or null (the virtual server's)
     * @param alpha {@code alpha} or null
     * @param logAllFailures {@code log_all_failures}
     */
    record Common(InetAddress connectIp, Integer connectPort, InetAddress bindto, Integer bindPort, String bindIf,
                  Integer fwmark, Duration connectTimeout, Integer retry, Duration delayBeforeRetry, Duration warmup,
                  Duration delayLoop, Boolean alpha, boolean logAllFailures) {

        /** Nothing set. */
        public static final Common EMPTY =
                new Common(null, null, null, null, null, null, null, null, null, null, null, null, false);
    }

    /**
     * {@code TCP_CHECK}: a TCP connect.
     *
     * @param common shared settings
     * @param origin where the block starts
     */
    record TcpCheck(Common common, Origin origin) implements Checker {
        @Override
        public String type() {
            return "TCP_CHECK";
        }
    }

    /**
     * {@code HTTP_GET} or {@code SSL_GET}: fetch URLs and check status codes and digests.
     *
     * @param type HTTP_GET or SSL_GET
     * @param common shared settings
     * @param urls the {@code url} blocks
     * @param virtualhost {@code virtualhost} or null
     * @param httpProtocol {@code http_protocol} or null
     * @param enableSni {@code enable_sni}
     * @param fastRecovery {@code fast_recovery}
     * @param origin where the block starts
     */
    record HttpCheck(String type, Common common, List<Url> urls, String virtualhost, String httpProtocol,
                     boolean enableSni, boolean fastRecovery, Origin origin) implements Checker {
        /** Copies the list. */
        public HttpCheck {
            urls = List.copyOf(urls);
        }
    }

    /**
     * A {@code url} block.
     *
     * @param path {@code path}
     * @param digest {@code digest} (MD5 hex) or null
     * @param statusCode {@code status_code} ranges; empty means 200..299
     * @param virtualhost {@code virtualhost} or null
     * @param regex {@code regex} pattern (after keepalived's escape processing) or null
     * @param regexNoMatch {@code regex_no_match}
     * @param regexOptions {@code regex_options} words keepalived knows (unknown ones are warned about and dropped)
     * @param regexMinOffset {@code regex_min_offset} or null
     * @param regexMaxOffset {@code regex_max_offset} or null
     * @param regexStack {@code regex_stack START MAX} (PCRE2 JIT stack sizes; recorded, not needed by Java) or null
     * @param origin where it starts
     */
    record Url(String path, String digest, List<StatusRange> statusCode, String virtualhost, String regex,
               boolean regexNoMatch, List<String> regexOptions, Long regexMinOffset, Long regexMaxOffset,
               List<Long> regexStack, Origin origin) {
        /** Copies the lists. */
        public Url {
            statusCode = List.copyOf(statusCode);
            regexOptions = List.copyOf(regexOptions);
            regexStack = regexStack == null ? null : List.copyOf(regexStack);
        }
    }

    /**
     * An HTTP status code or range {@code 200-299}.
     *
     * @param low the first code
     * @param high the last code
     */
    record StatusRange(int low, int high) {
        @Override
        public String toString() {
            return low == high ? Integer.toString(low) : low + "-" + high;
        }
    }

    /**
     * {@code MISC_CHECK}: run a command; exit 0 is up (with {@code misc_dynamic}, 2..255 sets weight-2).
     *
     * @param common shared settings
     * @param miscPath {@code misc_path} command line
     * @param miscTimeout {@code misc_timeout} or null
     * @param miscDynamic {@code misc_dynamic}
     * @param user {@code user} or null
     * @param group the group after {@code user}, or null
     * @param origin where the block starts
     */
    record MiscCheck(Common common, String miscPath, Duration miscTimeout, boolean miscDynamic, String user,
                     String group, Origin origin) implements Checker {
        @Override
        public String type() {
            return "MISC_CHECK";
        }
    }

    /**
     * {@code UDP_CHECK}: send a datagram; ICMP port unreachable (or no matching reply with {@code require_reply}) is
     * down.
     *
     * @param common shared settings
     * @param payload {@code payload} hex string or null
     * @param requireReply {@code require_reply}
     * @param requireReplyPayload hex string after {@code require_reply} or null
     * @param minReplyLength {@code min_reply_length} or null
     * @param maxReplyLength {@code max_reply_length} or null
     * @param origin where the block starts
     */
    record UdpCheck(Common common, String payload, boolean requireReply, String requireReplyPayload,
                    Integer minReplyLength, Integer maxReplyLength, Origin origin) implements Checker {
        @Override
        public String type() {
            return "UDP_CHECK";
        }
    }

    /**
     * {@code DNS_CHECK}: a DNS query that must be answered.
     *
     * @param common shared settings
     * @param queryType {@code type} (default SOA)
     * @param name {@code name} (default ".")
     * @param origin where the block starts
     */
    record DnsCheck(Common common, String queryType, String name, Origin origin) implements Checker {
        @Override
        public String type() {
            return "DNS_CHECK";
        }
    }

    /**
     * {@code PING_CHECK}: ICMP / ICMPv6 echo.
     *
     * @param common shared settings
     * @param origin where the block starts
     */
    record PingCheck(Common common, Origin origin) implements Checker {
        @Override
        public String type() {
            return "PING_CHECK";
        }
    }

    /**
     * {@code SMTP_CHECK}: an SMTP HELO exchange, optionally against several {@code host} blocks.
     *
     * @param common shared settings
     * @param heloName {@code helo_name} or null
     * @param hosts the {@code host} blocks
     * @param origin where the block starts
     */
    record SmtpCheck(Common common, String heloName, List<Common> hosts, Origin origin) implements Checker {
        /** Copies the list. */
        public SmtpCheck {
            hosts = List.copyOf(hosts);
        }

        @Override
        public String type() {
            return "SMTP_CHECK";
        }
    }

    /**
     * {@code FILE_CHECK}: the real server's weight follows a {@code track_file}.
     *
     * @param trackFile the {@code track_file} name
     * @param weight {@code weight} or null
     * @param reverse {@code weight N reverse}
     * @param dynamic {@code dynamic}
     * @param origin where the block starts
     */
    record FileCheck(String trackFile, Integer weight, boolean reverse, boolean dynamic, Origin origin)
            implements Checker {
        @Override
        public String type() {
            return "FILE_CHECK";
        }
    }

    /**
     * {@code BFD_CHECK}: follows a {@code bfd_instance}.
     *
     * @param name {@code name} of the BFD instance
     * @param weight {@code weight} or null
     * @param origin where the block starts
     */
    record BfdCheck(String name, Integer weight, Origin origin) implements Checker {
        @Override
        public String type() {
            return "BFD_CHECK";
        }
    }
}
