package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.NetnsLab;
import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.vrrp.VrrpInstanceSpec;

/**
 * Two hosts on a bridge: {@code a} runs Fulcrum's engine (its VRRP thread enters the namespace), {@code b} runs the
 * peer (keepalived, or a second Fulcrum engine).
 */
final class VrrpLab implements AutoCloseable {

    final NetnsLab lab = NetnsLab.create();
    final String sw = lab.ns("sw");
    final String a = lab.ns("a");
    final String b = lab.ns("b");

    VrrpLab(String addrA, String addrB) {
        lab.bridge(sw, "br0");
        lab.plug(a, "eth0", sw, "br0", "pa");
        lab.plug(b, "eth0", sw, "br0", "pb");
        lab.addr(a, "eth0", addrA + "/24");
        lab.addr(b, "eth0", addrB + "/24");
    }

    VrrpLab() {
        this("10.0.0.1", "10.0.0.2");
    }

    /** Starts a Fulcrum engine in namespace {@code ns}. */
    Vrrp fulcrum(String ns, VrrpInstanceSpec... specs) {
        VrrpContext ctx = new VrrpContext().kernel().threadInitializer(() -> NetNs.enter(ns));
        for (VrrpInstanceSpec s : specs) {
            ctx.instance(s);
        }
        return Vrrp.launch(ctx);
    }

    boolean hasAddress(String ns, String address) {
        String out = lab.exec(ns, "ip", "-o", "addr", "show", "dev", "eth0").stdout();
        return out.contains(" " + address + "/");
    }

    @Override
    public void close() {
        lab.close();
    }
}
