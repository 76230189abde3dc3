package io.fulcrum.vrrp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.InteropTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fulcrum as the MASTER in its own process, keepalived as the BACKUP: SIGKILL of Fulcrum hands over within
 * keepalived's Master_Down_Interval + 100 ms; SIGTERM makes Fulcrum send priority 0, and keepalived takes over within
 * its Skew_Time + 100 ms of that advert (timed from its arrival in keepalived's namespace, as
 * {@link FailoverKernelTest} times the other direction; the time from the signal is printed too).
 */
@InteropTest
class FulcrumProcessFailoverKernelTest {

    private static NetnsLab.Spawned fulcrum(VrrpLab lab, int version, int priority, int advertCentis) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return lab.lab.spawn(lab.a, java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), VrrpTestMain.class.getName(), Integer.toString(version),
                Integer.toString(priority), Integer.toString(advertCentis), "10.0.0.100/24");
    }

    private static void run(int version, int advertCentis, boolean graceful) {
        try (VrrpLab lab = new VrrpLab(); KeepalivedPeer ka = new KeepalivedPeer(lab.lab, lab.b, "ka");
             VrrpLab.AdvertWatch wire = new VrrpLab.AdvertWatch(lab.b)) {
            ka.start(FailoverKernelTest.ka(version, 100, advertCentis));
            NetnsLab.Spawned f = fulcrum(lab, version, 150, advertCentis);
            Await.until(() -> "Fulcrum process MASTER:\n" + f.output(), Duration.ofSeconds(20),
                    () -> f.output().contains("(VI_1) Entering MASTER STATE"));
            ka.awaitState("BACKUP", Duration.ofSeconds(10));
            Await.pause(1500);
            long t0 = System.nanoTime();
            long signalled = t0;
            double bound;
            if (graceful) {
                ProcessHandle.of(f.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM
                // the handover starts with the priority 0 advert; the JVM's way from SIGTERM to it is not part of it
                t0 = wire.awaitPriorityZero("10.0.0.1", Duration.ofSeconds(10));
                bound = 156_000.0 / 256 + 100; // keepalived (priority 100) Skew_Time + 100 ms
            } else {
                f.kill(); // SIGKILL
                bound = 3 * advertCentis * 10 + (version == 2 ? 156_000.0 / 256 : 156.0 * advertCentis * 10 / 256)
                        + 100;
                // a SIGKILLed process leaves its VIP; remove it so only keepalived's address is seen
                lab.lab.exec(lab.a, "ip", "addr", "del", "10.0.0.100/24", "dev", "eth0");
            }
            double ms = FailoverKernelTest.elapsedUntil(t0, Duration.ofSeconds(10),
                    () -> lab.hasAddress(lab.b, "10.0.0.100"), "keepalived owns the VIP");
            System.out.printf("FAILOVER keepalived-backup %s of Fulcrum v%d advert %.2fs: %.1f ms%s (bound %.1f)%n",
                    graceful ? "SIGTERM" : "SIGKILL", version, advertCentis / 100.0, ms, graceful
                            ? String.format(" after priority 0, %.1f ms after SIGTERM",
                            ms + (t0 - signalled) / 1e6) : "", bound);
            assertTrue(ms <= bound, "took " + ms + " ms, bound " + bound);
            if (graceful) {
                Await.until(() -> "Fulcrum process exited:\n" + f.output(), Duration.ofSeconds(10),
                        () -> !f.process().isAlive());
                assertTrue(f.output().contains("(VI_1) sent 0 priority"), f.output());
                assertTrue(!lab.hasAddress(lab.a, "10.0.0.100"), "Fulcrum released the VIP on SIGTERM");
            }
        }
    }

    @Test
    void sigkillOfFulcrumMasterV2() {
        run(2, 100, false);
    }

    @Test
    void sigkillOfFulcrumMasterV3Fast() {
        run(3, 10, false);
    }

    @Test
    void sigtermOfFulcrumMasterSendsPriorityZero() {
        run(2, 100, true);
    }
}
