package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.Interfaces;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import io.fulcrum.testkit.InteropTest;
import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpState;
import io.fulcrum.vrrp.VrrpStat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Failover time measured the same way for a Fulcrum BACKUP and a keepalived BACKUP, each facing a keepalived MASTER
 * on the same bridge: time from SIGKILL (or SIGTERM) of the master until the backup's namespace holds the VIP. Not an
 * assertion (figures go to BENCHMARKS.md); run with
 * {@code mvn -pl vrrp test -Dgroups=bench -Dfulcrum.bench=true -Dtest=FailoverBenchTest}.
 */
@InteropTest
@Tag("bench")
@EnabledIfSystemProperty(named = "fulcrum.bench", matches = "true")
class FailoverBenchTest {

    private static final int REPS = 3;

    private double once(boolean fulcrumBackup, int version, int advertCentis, boolean graceful) {
        try (VrrpLab lab = new VrrpLab(); KeepalivedPeer master = new KeepalivedPeer(lab.lab, lab.b, "m");
             KeepalivedPeer backup = new KeepalivedPeer(lab.lab, lab.a, "k")) {
            master.start(FailoverKernelTest.ka(version, 150, advertCentis));
            master.awaitState("MASTER", Duration.ofSeconds(10));
            Vrrp f = null;
            try {
                if (fulcrumBackup) {
                    f = lab.fulcrum(lab.a, FailoverKernelTest.spec(version, 100, advertCentis));
                    Vrrp ff = f;
                    Await.until("Fulcrum hears the master", Duration.ofSeconds(10),
                            () -> ff.agent().stat("VI_1", VrrpStat.ADVERT_RCVD) >= 3);
                } else {
                    backup.start(FailoverKernelTest.ka(version, 100, advertCentis));
                    backup.awaitState("BACKUP", Duration.ofSeconds(10));
                    Await.pause(Math.max(1500, advertCentis * 30L));
                }
                // kill right after an advert reached the backup's host, so both backups face the same worst case
                awaitAdvert(lab.a);
                long t0 = System.nanoTime();
                if (graceful) {
                    Thread.ofPlatform().start(master::stop);
                } else {
                    master.kill();
                }
                Vrrp ff = f;
                return FailoverKernelTest.elapsedUntil(t0, Duration.ofSeconds(15),
                        () -> (ff == null || ff.agent().instance("VI_1").state() == VrrpState.MASTER)
                                && lab.hasAddress(lab.a, "10.0.0.100"), "backup owns the VIP");
            } finally {
                if (f != null) {
                    f.close();
                }
            }
        }
    }

    private static void awaitAdvert(String ns) {
        try (LinuxSocket s = NetNs.callIn(ns, () -> LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_VRRP))) {
            s.bindToDevice("eth0");
            s.joinGroup4(0xe0000012, NetNs.callIn(ns, () -> Interfaces.indexOf("eth0")));
            MemorySegment buf = Arena.ofAuto().allocate(2048);
            s.recv(buf, 0, 2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void measure() {
        record Case(String name, int version, int advertCentis, boolean graceful) {
        }
        List<Case> cases = List.of(new Case("SIGKILL v2 advert_int 1", 2, 100, false),
                new Case("SIGKILL v3 advert_int 0.1", 3, 10, false),
                new Case("SIGTERM (priority 0) v2 advert_int 1", 2, 100, true));
        for (Case c : cases) {
            for (boolean fulcrum : new boolean[] {true, false}) {
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < REPS; i++) {
                    ms.add(once(fulcrum, c.version(), c.advertCentis(), c.graceful()));
                }
                System.out.printf("BENCH %s | %s backup | %s ms%n", c.name(), fulcrum ? "Fulcrum" : "keepalived",
                        ms.stream().map(d -> String.format("%.0f", d)).toList());
            }
        }
    }
}
