package io.fulcrum.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of bad configurations: each is rejected, and one error names the file, the line and says what is wrong.
 * Files other than bad.conf in a row are written beside it first (for include cases).
 */
class BadConfigTest {

    private static final String VI = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    10.0.0.100/24
                }
            }
            """;

    static Stream<Arguments> badInputs() {
        return Stream.of(
                row("vrid zero", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 0
                        }
                        """, 3, "virtual_router_id 0 out of range 1..255"),
                row("vrid too big", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 256
                        }
                        """, 3, "virtual_router_id 256 out of range 1..255"),
                row("vrid not a number", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id fifty
                        }
                        """, 3, "virtual_router_id 'fifty' is not an integer"),
                row("priority zero", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            priority 0
                        }
                        """, 4, "priority 0 out of range 1..255"),
                row("priority 300", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            priority 300
                        }
                        """, 4, "priority 300 out of range 1..255"),
                row("duplicate vrid on one interface (IPv4)", VI + """
                        vrrp_instance VI_2 {
                            interface eth0
                            virtual_router_id 51
                        }
                        """, 10, "virtual_router_id 51 of vrrp_instance VI_2 is already used by vrrp_instance VI_1 on eth0 (IPv4"),
                row("duplicate vrid on one interface (IPv6)", """
                        vrrp_instance A {
                            interface eth1
                            virtual_router_id 9
                            virtual_ipaddress { 2001:db8::1/64 }
                        }
                        vrrp_instance B {
                            interface eth1
                            virtual_router_id 9
                            virtual_ipaddress { 2001:db8::2/64 }
                        }
                        """, 8, "virtual_router_id 9 of vrrp_instance B is already used by vrrp_instance A on eth1 (IPv6"),
                row("bad VIP", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            virtual_ipaddress {
                                10.0.0.256/24
                            }
                        }
                        """, 5, "virtual_ipaddress '10.0.0.256' is not an IPv4 or IPv6 address"),
                row("bad VIP prefix", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            virtual_ipaddress {
                                10.0.0.1/33
                            }
                        }
                        """, 5, "virtual_ipaddress '10.0.0.1/33': prefix length '33' out of range 0..32"),
                row("bad unicast peer", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            unicast_peer {
                                10.0.0
                            }
                        }
                        """, 5, "'10.0.0' is not an IPv4 or IPv6 address"),
                row("host name as unicast_src_ip", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            unicast_src_ip lb1.example.com
                        }
                        """, 4, "unicast_src_ip 'lb1.example.com' is not an IPv4 or IPv6 address"),
                row("unicast peer of the other family", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            virtual_ipaddress { 10.0.0.1 }
                            unicast_peer {
                                2001:db8::2
                            }
                        }
                        """, 1, "vrrp_instance VI_1: unicast_peer 2001:db8::2 is IPv6 but the instance is IPv4"),
                row("bad virtual_server address", """
                        virtual_server 10.0.0.300 80 {
                            lb_kind NAT
                        }
                        """, 1, "virtual_server '10.0.0.300' is not an IPv4 or IPv6 address"),
                row("virtual_server port out of range", """
                        virtual_server 10.0.0.3 70000 {
                            lb_kind NAT
                        }
                        """, 1, "virtual_server 10.0.0.3: port '70000' is not a port number 0..65535"),
                row("real_server port not a number", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 http {
                            }
                        }
                        """, 2, "real_server 10.0.1.1: port 'http' is not a port number 0..65535"),
                row("negative weight", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                weight -1
                            }
                        }
                        """, 3, "weight -1 is negative (real_server 10.0.1.1)"),
                row("weight above the IPVS maximum", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                weight 70000
                            }
                        }
                        """, 3, "weight 70000 out of range 0..65535 (real_server 10.0.1.1)"),
                row("url without path", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        status_code 200
                                    }
                                }
                            }
                        }
                        """, 4, "url: path missing"),
                row("MISC_CHECK without misc_path", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                MISC_CHECK {
                                    misc_timeout 3
                                }
                            }
                        }
                        """, 3, "MISC_CHECK: misc_path missing"),
                row("unknown lb_algo", """
                        virtual_server 10.0.0.3 80 {
                            lb_algo roundrobin
                        }
                        """, 2, "lb_algo 'roundrobin': unknown scheduler, expected one of rr|wrr|lc|wlc"),
                row("unknown lb_kind", """
                        virtual_server 10.0.0.3 80 {
                            lb_algo rr
                            lb_kind MASQ
                        }
                        """, 3, "lb_kind 'MASQ': unknown forwarding method, expected one of NAT|DR|TUN|FNAT|SNAT"),
                row("real_server at top level", """
                        global_defs {
                            router_id X
                        }
                        real_server 10.0.1.1 80 {
                            weight 1
                        }
                        """, 4, "real_server 10.0.1.1 80 outside a virtual_server"),
                row("real_server inside a vrrp_instance", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            real_server 10.0.1.1 80 {
                            }
                        }
                        """, 4, "real_server 10.0.1.1 80 outside a virtual_server"),
                row("checker outside a real_server", """
                        virtual_server 10.0.0.3 80 {
                            TCP_CHECK {
                                connect_timeout 3
                            }
                        }
                        """, 2, "TCP_CHECK outside a real_server"),
                row("FullNAT without a local address group", """
                        virtual_server 10.0.0.3 80 {
                            lb_algo rr
                            lb_kind FNAT
                            real_server 10.0.1.1 80 { weight 1 }
                        }
                        """, 3, "virtual_server 10.0.0.3 80: lb_kind FNAT needs a local address group (laddr_group_name)"),
                row("FullNAT naming an unknown local address group", """
                        local_address_group laddr_g1 {
                            192.168.100.200 dpdk0
                        }
                        virtual_server 10.0.0.3 80 {
                            lb_kind FNAT
                            laddr_group_name laddr_g2
                        }
                        """, 6, "laddr_group_name laddr_g2: no local_address_group named 'laddr_g2'"),
                row("FullNAT real server unreachable from the local address family", """
                        local_address_group l6 {
                            2001:db8::10 eth1
                        }
                        virtual_server 2001:db8::1 80 {
                            protocol TCP
                            lb_kind FNAT
                            laddr_group_name l6
                            real_server 10.0.1.1 80 {
                            }
                        }
                        """, 8, "real_server 10.0.1.1 is IPv4 but local_address_group l6 has no IPv4 address to reach it from"),
                row("unknown deny group", """
                        local_address_group l { 10.1.1.1 eth0 }
                        virtual_server 10.0.0.3 80 {
                            lb_kind FNAT
                            laddr_group_name l
                            daddr_group_name blk
                        }
                        """, 5, "daddr_group_name blk: no deny_address_group named 'blk'"),
                row("block never closed", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                        """, 1, "unbalanced '{': block 'vrrp_instance VI_1' is never closed"),
                row("extra closing brace", VI + """
                        }
                        """, 8, "unbalanced '}': no block is open"),
                row("brace without keyword", """
                        { router_id X }
                        """, 1, "'{' without a keyword before it"),
                row("missing include file", """
                        global_defs {
                            router_id X
                        }
                        include conf.d/missing.conf
                        """, 4, "include 'conf.d/missing.conf': file not found"),
                row("bad include pattern", """
                        global_defs {
                            router_id X
                        }
                        include conf.d/{a,b
                        """, 4, "include 'conf.d/{a,b': bad file pattern"),
                row("~SEQ step zero", """
                        virtual_server 10.0.0.3 80 {
                            ~SEQ(N, 1, 0, 5) real_server 10.0.1.${N} 80 { weight 1 }
                        }
                        """, 2, "~SEQ(N,1,0,5): step must not be 0"),
                row("~SEQ not a number", """
                        virtual_server 10.0.0.3 80 {
                            ~SEQ(N, one, 5) real_server 10.0.1.${N} 80 { weight 1 }
                        }
                        """, 2, "~SEQ(N,one,5): 'one' is not a number"),
                row("~SEQ missing parenthesis", """
                        virtual_server 10.0.0.3 80 {
                            ~SEQ(N, 1, 5 real_server 10.0.1.${N} 80 { weight 1 }
                        }
                        """, 2, "~SEQ: missing '(' or ')'"),
                row("~SEQ step in the wrong direction", """
                        virtual_server 10.0.0.3 80 {
                            ~SEQ(N, 10, 1, 5) real_server 10.0.1.${N} 80 { weight 1 }
                        }
                        """, 2, "~SEQ(N,10,1,5): step 1 never goes from 10 to 5"),
                row("~LST values do not match variables", """
                        virtual_server 10.0.0.3 80 {
                            ~LST({A, B}, {1,2}, {3}) real_server 10.0.1.${A} 80 { weight ${B} }
                        }
                        """, 2, "~LST: value '{3}' has 1 parts for 2 variables"),
                row("unterminated quote", """
                        vrrp_script chk {
                            script "/bin/true
                        }
                        """, 2, "unterminated quoted string"),
                row("bad state", """
                        vrrp_instance VI_1 {
                            state PRIMARY
                            interface eth0
                            virtual_router_id 5
                        }
                        """, 2, "state 'PRIMARY' is not MASTER or BACKUP"),
                row("advert_int zero with VRRPv2", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            advert_int 0
                        }
                        """, 4, "advert_int 0 out of range 1..255 for VRRPv2 (vrrp_instance VI_1)"),
                row("advert_int too long for VRRPv3", """
                        vrrp_instance VI_1 {
                            version 3
                            interface eth0
                            virtual_router_id 5
                            advert_int 50
                        }
                        """, 5, "advert_int 50 out of range 0.01..40.95 for VRRPv3 (vrrp_instance VI_1)"),
                row("unknown protocol", """
                        virtual_server 10.0.0.3 80 {
                            protocol ICMP
                        }
                        """, 2, "protocol 'ICMP' is not TCP, UDP or SCTP"),
                row("no interface", """
                        vrrp_instance VI_1 {
                            virtual_router_id 5
                        }
                        """, 1, "vrrp_instance VI_1: no interface configured"),
                row("no virtual_router_id", """
                        vrrp_instance VI_1 {
                            interface eth0
                        }
                        """, 1, "vrrp_instance VI_1: virtual_router_id missing"),
                row("sync group with unknown member", VI + """
                        vrrp_sync_group G1 {
                            group {
                                VI_1
                                VI_9
                            }
                        }
                        """, 11, "vrrp_sync_group G1 member VI_9: no vrrp_instance named 'VI_9'"),
                row("virtual_server group unknown", """
                        virtual_server group web {
                            lb_kind DR
                        }
                        """, 1, "virtual_server group web: no virtual_server_group named 'web'"),
                row("FILE_CHECK with unknown track_file", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                FILE_CHECK {
                                    track_file nosuch
                                }
                            }
                        }
                        """, 4, "FILE_CHECK track_file nosuch: no track_file named 'nosuch'"),
                row("status code out of range", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        status_code 700
                                    }
                                }
                            }
                        }
                        """, 6, "status_code '700' is not an HTTP status 100..599 or a range"),
                row("digest not MD5 hex", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        digest xyz
                                    }
                                }
                            }
                        }
                        """, 6, "digest 'xyz' is not an MD5 digest (32 hex digits)"),
                row("regex that Java cannot compile", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        regex "status: (ok"
                                    }
                                }
                            }
                        }
                        """, 6, "regex 'status: (ok' does not compile: Unclosed group"),
                row("regex with two unquoted words", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        regex status ok
                                    }
                                }
                            }
                        }
                        """, 6, "regex needs exactly one pattern (quote a pattern that contains spaces), got 2 words"),
                row("regex option without a Java equivalent", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        regex "a+"
                                        regex_options caseless ungreedy
                                    }
                                }
                            }
                        }
                        """, 6, "regex_options ungreedy has no java.util.regex equivalent"),
                row("regex offset not a number", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        regex ok
                                        regex_max_offset far
                                    }
                                }
                            }
                        }
                        """, 7, "regex_max_offset 'far' is not an integer"),
                row("regex offset negative", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                HTTP_GET {
                                    url {
                                        path /
                                        regex ok
                                        regex_min_offset -4
                                    }
                                }
                            }
                        }
                        """, 7, "regex_min_offset -4 out of range 0..2147483647"),
                row("real_server alpha not a boolean", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                alpha maybe
                                TCP_CHECK {
                                }
                            }
                        }
                        """, 3, "alpha 'maybe' is not a boolean"),
                row("checker alpha not a boolean", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                TCP_CHECK {
                                    alpha sometimes
                                }
                            }
                        }
                        """, 4, "alpha 'sometimes' is not a boolean"),
                row("real_server delay_loop zero", """
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                delay_loop 0
                            }
                        }
                        """, 3, "delay_loop 0 must be greater than 0"),
                row("FILE_CHECK weight option unknown", """
                        track_file t {
                            file /tmp/t
                        }
                        virtual_server 10.0.0.3 80 {
                            real_server 10.0.1.1 80 {
                                FILE_CHECK {
                                    track_file t
                                    weight 5 backwards
                                }
                            }
                        }
                        """, 8, "FILE_CHECK weight option 'backwards' is not reverse or noreverse"),
                row("local address range backwards", """
                        local_address_group l {
                            10.0.0.5-3 dpdk0
                        }
                        """, 2, "local_address_group '10.0.0.5-3': range end is before its start"),
                row("vrrp_script interval zero", """
                        vrrp_script chk {
                            script /bin/true
                            interval 0
                        }
                        """, 3, "interval 0 out of range 1..4294"),
                row("vrrp_script fractional interval", """
                        vrrp_script chk {
                            script /bin/true
                            interval 1.5
                        }
                        """, 3, "interval '1.5' is not an integer"),
                row("delay_loop not a time", """
                        virtual_server 10.0.0.3 80 {
                            delay_loop fast
                        }
                        """, 2, "delay_loop 'fast' is not a time in seconds"),
                row("auth_type unknown", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            authentication {
                                auth_type MD5
                            }
                        }
                        """, 5, "auth_type 'MD5' is not PASS or AH"),
                row("duplicate virtual_server", """
                        virtual_server 10.0.0.3 80 {
                            protocol TCP
                        }
                        virtual_server 10.0.0.3 80 {
                            protocol TCP
                        }
                        """, 4, "virtual_server [10.0.0.3]:tcp:80 is already defined at"),
                row("fwmark zero", """
                        virtual_server fwmark 0 {
                            lb_kind DR
                        }
                        """, 1, "virtual_server fwmark '0' is not a positive integer"),
                row("track_interface weight out of range", """
                        vrrp_instance VI_1 {
                            interface eth0
                            virtual_router_id 5
                            track_interface {
                                eth1 weight 300
                            }
                        }
                        """, 5, "eth1 weight 300 out of range -254..254"),
                row("bad boolean", """
                        local_address_group l { 10.1.1.1 eth0 }
                        virtual_server 10.0.0.3 80 {
                            lb_kind FNAT
                            laddr_group_name l
                            syn_proxy maybe
                        }
                        """, 5, "syn_proxy 'maybe' is not a boolean (on|off|true|false|yes|no)"),
                row("UDP payload odd hex", """
                        virtual_server 10.0.0.3 53 {
                            protocol UDP
                            real_server 10.0.1.1 53 {
                                UDP_CHECK {
                                    payload abc
                                }
                            }
                        }
                        """, 5, "payload 'abc' is not an even number of hex digits"),
                row("DNS query type unknown", """
                        virtual_server 10.0.0.3 53 {
                            real_server 10.0.1.1 53 {
                                DNS_CHECK {
                                    type PTR
                                }
                            }
                        }
                        """, 4, "DNS_CHECK type 'PTR' is not one of A|NS|CNAME|SOA|MX|TXT|AAAA"),
                row("lvs_timeouts unknown key", """
                        global_defs {
                            lvs_timeouts tcp 900 syn 30
                        }
                        """, 2, "lvs_timeouts: unknown timeout 'syn', expected tcp, tcpfin or udp"),
                row("vrrp_version 4", """
                        global_defs {
                            vrrp_version 4
                        }
                        """, 2, "vrrp_version 4 out of range 2..3"),
                row("conditional without id", """
                        global_defs {
                            @ router_id X
                        }
                        """, 2, "conditional '@' has no config id after it"));
    }

    private static Arguments row(String name, String text, int line, String message) {
        return arguments(name, text, line, message);
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectedWithFileLineAndMessage(String name, String text, int line, String message) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, text);
        LoadResult r = ConfigLoader.load(file, "lb1");
        assertFalse(r.ok(), name + ": expected errors");
        assertNull(r.config(), "a bad configuration is rejected whole");
        List<Diagnostic> errors = r.errors();
        boolean found = errors.stream().anyMatch(d -> d.file().equals(file.toString()) && d.line() == line
                && d.message().contains(message));
        assertTrue(found, () -> name + ": no error at bad.conf:" + line + " containing \"" + message + "\"; got " + errors);
        for (Diagnostic d : errors) {
            String s = d.toString();
            assertTrue(s.startsWith(d.file() + ":"), s);
        }
    }

    @Test
    void everyErrorIsCollectedNotJustTheFirst() throws IOException {
        Path file = dir.resolve("many.conf");
        Files.writeString(file, """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 300
                    priority 0
                    virtual_ipaddress {
                        10.0.0.999
                    }
                }
                virtual_server 10.0.0.3 80 {
                    lb_algo nope
                    real_server 10.0.1.1 80 {
                        weight -5
                    }
                }
                """);
        LoadResult r = ConfigLoader.load(file, "x");
        assertEquals(List.of(3, 4, 6, 10, 12), r.errors().stream().map(Diagnostic::line).toList(), r.errors().toString());
        assertEquals(file + ":3: virtual_router_id 300 out of range 1..255", r.errors().getFirst().toString());
    }

    @Test
    void errorsInAnIncludedFileNameThatFile() throws IOException {
        Path main = dir.resolve("main.conf");
        Path sub = dir.resolve("sub.conf");
        Files.writeString(main, "global_defs {\n  router_id A\n}\ninclude sub.conf\n");
        Files.writeString(sub, "vrrp_instance VI_1 {\n    priority 999\n    interface eth0\n    virtual_router_id 1\n}\n");
        LoadResult r = ConfigLoader.load(main, "x");
        assertEquals(1, r.errors().size(), r.errors().toString());
        Diagnostic d = r.errors().getFirst();
        assertEquals(sub.toString(), d.file());
        assertEquals(2, d.line());
        assertEquals("priority 999 out of range 1..255", d.message());
    }

    @Test
    void includeLoopIsAnError() throws IOException {
        Path a = dir.resolve("a.conf");
        Path b = dir.resolve("b.conf");
        Files.writeString(a, "include b.conf\n");
        Files.writeString(b, "\ninclude a.conf\n");
        LoadResult r = ConfigLoader.load(a, "x");
        Diagnostic d = r.errors().getFirst();
        assertEquals(b.toString(), d.file());
        assertEquals(2, d.line());
        assertTrue(d.message().contains("includes itself (include loop)"), d.message());
    }

    @Test
    void missingMainFileIsAnErrorNotAnException() {
        LoadResult r = ConfigLoader.load(dir.resolve("nope.conf"), "x");
        assertFalse(r.ok());
        assertEquals(dir.resolve("nope.conf") + ": configuration file not found or not a regular file",
                r.errors().getFirst().toString());
    }

    @Test
    void selfReferencingParameterStops() throws IOException {
        Path file = dir.resolve("loop.conf");
        Files.writeString(file, "$A=x $A\nglobal_defs {\n  router_id $A\n}\n");
        LoadResult r = ConfigLoader.load(file, "x");
        assertFalse(r.ok());
        assertEquals(3, r.errors().getFirst().line());
        assertTrue(r.errors().getFirst().message().contains("does not terminate"), r.errors().toString());
    }

    @Test
    void globMatchingNothingIsOnlyAWarning() throws IOException {
        Path file = dir.resolve("glob.conf");
        Files.writeString(file, "include conf.d/*.conf\n" + VI);
        LoadResult r = ConfigLoader.load(file, "x");
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(file + ":1: warning: include 'conf.d/*.conf' matches no file", r.warnings().getFirst().toString());
    }

    @Test
    void anErrorOnAReplicatedLineIsReportedOnce() throws IOException {
        Path file = dir.resolve("seq.conf");
        Files.writeString(file, "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  ~SEQ(N, 1, 200) real_server 10.0.${N}.1 80 { weight -1 }\n}\n");
        LoadResult r = ConfigLoader.load(file, "x");
        assertEquals(List.of(file + ":3: weight -1 is negative (real_server 10.0.1.1)",
                file + ":3: weight -1 is negative (real_server 10.0.2.1)"), r.errors().stream().limit(2).map(Diagnostic::toString).toList());
        // distinct messages stay distinct; identical ones (same line, same text) are kept once
        assertEquals(200, r.errors().size());
        Files.writeString(file, "$A=x $A\n~SEQ(N, 1, 50) router_id $A\n");
        assertEquals(1, ConfigLoader.load(file, "x").errors().size());
    }

    @Test
    void aValueKeywordWithABlockIsAWarning() throws IOException {
        Path file = dir.resolve("blk.conf");
        Files.writeString(file, "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 3\n  priority 90 {\n    oops\n  }\n}\n");
        LoadResult r = ConfigLoader.load(file, "x");
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(90, r.config().vrrpInstances().getFirst().priority());
        assertEquals(file + ":4: warning: 'priority' takes no { } block; its contents are ignored",
                r.warnings().getFirst().toString());
    }

    @Test
    void keepalivedAdjustmentsAreWarnings() throws IOException {
        Path file = dir.resolve("adj.conf");
        Files.writeString(file, """
                vrrp_instance A {
                    state MASTER
                    nopreempt
                    interface eth0
                    virtual_router_id 1
                    advert_int 1.6
                    virtual_ipaddress {
                        10.1.0.1/24
                        2001:db8::1/64
                    }
                }
                """);
        LoadResult r = ConfigLoader.load(file, "x");
        assertTrue(r.ok(), r.errors().toString());
        VrrpInstance a = r.config().vrrpInstances().getFirst();
        assertFalse(a.nopreempt());
        assertEquals(java.time.Duration.ofSeconds(2), a.advertInt());
        assertEquals(1, a.virtualIpaddress().size());
        assertTrue(a.virtualIpaddressExcluded().isEmpty());
        assertEquals(List.of(
                file + ":9: warning: virtual_ipaddress 2001:db8::1 is IPv6 but vrrp_instance A is IPv4, ignored (use virtual_ipaddress_excluded)",
                file + ":6: warning: advert_int 1.6 is fractional, not supported by VRRPv2; rounded to 2",
                file + ":1: warning: vrrp_instance A: nopreempt does not work with initial state MASTER, cleared"),
                r.warnings().stream().map(Diagnostic::toString).sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void regexParametersWithoutARegexOrWithCrossedOffsetsAreWarnings() throws IOException {
        Path file = dir.resolve("regex.conf");
        Files.writeString(file, """
                virtual_server 10.0.0.2 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind DR
                    real_server 10.0.1.2 80 {
                        HTTP_GET {
                            url {
                                path /a
                                regex_no_match
                            }
                            url {
                                path /b
                                regex ok
                                regex_min_offset 10
                                regex_max_offset 5
                                regex_options caseless shouty
                                regex_stack 9 3
                            }
                        }
                    }
                }
                """);
        LoadResult r = ConfigLoader.load(file, "x");
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of(
                file + ":9: warning: url /a has regex parameters without a regex, ignored",
                file + ":16: warning: regex_options 'shouty' is not a regex option, ignored",
                file + ":17: warning: regex_stack needs START MAX with 0 <= START <= MAX, got '9 3', ignored",
                file + ":14: warning: regex_min_offset 10 is beyond regex_max_offset 5, both ignored"),
                r.warnings().stream().map(Diagnostic::toString).toList());
        Checker.HttpCheck h = (Checker.HttpCheck) r.config().virtualServers().getFirst().realServers().getFirst()
                .checkers().getFirst();
        assertFalse(h.urls().get(0).regexNoMatch());
        Checker.Url b = h.urls().get(1);
        assertEquals("ok", b.regex());
        assertNull(b.regexMinOffset());
        assertNull(b.regexMaxOffset());
        assertEquals(List.of("caseless"), b.regexOptions());
    }

    @Test
    void fileCheckDynamicIsAWarningAsInKeepalived() throws IOException {
        Path file = dir.resolve("dyn.conf");
        Files.writeString(file, """
                track_file t {
                    file /tmp/t
                }
                virtual_server 10.0.0.2 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind DR
                    real_server 10.0.1.2 80 {
                        FILE_CHECK {
                            track_file t
                            dynamic
                        }
                    }
                }
                """);
        LoadResult r = ConfigLoader.load(file, "x");
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of(file + ":11: warning: FILE_CHECK dynamic is not implemented by keepalived 2.x (it reports "
                + "an unknown keyword), ignored"), r.warnings().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void misspeltKeywordsGetASuggestion() throws IOException {
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 3
                    prority 90
                    virtual_ipadress {
                        10.0.0.1
                    }
                    completely_unknown 1
                }
                virtual_sever 10.0.0.1 80 {
                }
                """);
        LoadResult r = ConfigLoader.load(file, "x");
        assertEquals(List.of(
                file + ":4: warning: unknown keyword 'prority' in vrrp_instance VI_1, ignored (did you mean 'priority'?)",
                file + ":5: warning: unknown keyword 'virtual_ipadress' in vrrp_instance VI_1, ignored (did you mean 'virtual_ipaddress'?)",
                file + ":8: warning: unknown keyword 'completely_unknown' in vrrp_instance VI_1, ignored",
                file + ":10: warning: unknown keyword 'virtual_sever' in the top level, ignored (did you mean 'virtual_server'?)"),
                r.warnings().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void duplicateRealServerAndMissingSchedulerAreWarnings() throws IOException {
        Path file = dir.resolve("dup.conf");
        Files.writeString(file, """
                virtual_server 10.0.0.2 80 {
                    protocol TCP
                    lb_kind NAT
                    real_server 10.0.1.2 80 {
                        weight 1
                    }
                    real_server 10.0.1.2 80 {
                        weight 2
                    }
                }
                """);
        LoadResult r = ConfigLoader.load(file, "x");
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of(
                file + ":1: warning: virtual_server 10.0.0.2 80: no lb_algo set, so wlc is used (as keepalived does)",
                file + ":7: warning: real_server 10.0.1.2 80 appears twice in virtual_server 10.0.0.2 80; the second is ignored (as keepalived does)"),
                r.warnings().stream().map(Diagnostic::toString).toList());
        VirtualServer vs = r.config().virtualServers().getFirst();
        assertEquals("wlc", vs.lbAlgo());
        assertEquals(1, vs.realServers().size());
        assertEquals(1, vs.realServers().getFirst().weight());
    }
}
