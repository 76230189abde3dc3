package io.fulcrum.vrrp.kernel;

import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import java.util.concurrent.CountDownLatch;

/**
 * A Fulcrum VRRP node as its own process (started inside a namespace with {@code ip netns exec}), so a test can
 * SIGKILL or SIGTERM it like a real daemon. Arguments: version priority advertCentis vip/prefix.
 */
public final class VrrpTestMain {

    private VrrpTestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51)
                .version(Integer.parseInt(args[0])).priority(Integer.parseInt(args[1]))
                .advertIntervalCentis(Integer.parseInt(args[2])).vip(args[3]).garp(0, 1, 0).build();
        Vrrp vrrp = Vrrp.launch(new VrrpContext().kernel().instance(spec));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vrrp.close(); // graceful: priority 0 from a MASTER, VIPs released
            done.countDown();
        }));
        done.await();
    }
}
