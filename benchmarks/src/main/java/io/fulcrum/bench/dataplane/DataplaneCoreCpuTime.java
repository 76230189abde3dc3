package io.fulcrum.bench.dataplane;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the dataplane core's CPU time per packet (thread CPU time, not wall time) for each path of
 * {@link DataplaneCoreBenchmark}: on a shared, loaded machine wall-clock JMH scores include time the thread was not
 * running, while thread CPU time does not. Not a JMH benchmark; a companion probe.
 *
 * <p>Like JMH's forks, each path and IP version runs in a JVM of its own by default, so the JIT's profile holds only
 * that traffic; {@code --same-jvm} runs them one after the other in this JVM instead (the later ones then run on code
 * compiled for a mix of methods and versions, as a worker serving services of several kinds would).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.fulcrum.bench.dataplane.DataplaneCoreCpuTime
 * [--same-jvm] [PATH,PATH...]}.
 */
public final class DataplaneCoreCpuTime {

    private static final String[] ALL = {"FNAT", "FNAT_REPLY", "NAT", "NAT_REPLY", "DR", "TUN"};

    private DataplaneCoreCpuTime() {
    }

    /** Runs every path for IPv4 and IPv6 and prints CPU ns per packet (median of 5 rounds after warm-up). */
    public static void main(String[] args) throws Exception {
        boolean sameJvm = false;
        String[] paths = ALL;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--same-jvm")) {
                sameJvm = true;
            } else if (args[i].equals("--one")) {
                measure(args[i + 1], Integer.parseInt(args[i + 2]));
                return;
            } else {
                paths = args[i].split(",");
            }
        }
        for (String path : paths) {
            for (int ip : new int[] {4, 6}) {
                if (sameJvm) {
                    measure(path, ip);
                    continue;
                }
                List<String> cmd = new ArrayList<>();
                cmd.add(ProcessHandle.current().info().command().orElse("java"));
                cmd.add("--enable-native-access=ALL-UNNAMED");
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.add(DataplaneCoreCpuTime.class.getName());
                cmd.add("--one");
                cmd.add(path);
                cmd.add(Integer.toString(ip));
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("the probe for " + path + " IPv" + ip + " failed (exit "
                            + p.exitValue() + ")");
                }
            }
        }
    }

    private static void measure(String path, int ip) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        DataplaneCoreBenchmark b = new DataplaneCoreBenchmark();
        b.path = path;
        b.ip = ip;
        b.setUp();
        int batches = 200_000;
        long sink = 0;
        for (int w = 0; w < 5; w++) {
            for (int i = 0; i < batches; i++) {
                sink += b.processBatch();
            }
        }
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < batches; i++) {
                sink += b.processBatch();
            }
            rounds[r] = (mx.getCurrentThreadCpuTime() - c0) / ((double) batches * DataplaneCoreBenchmark.BATCH);
        }
        java.util.Arrays.sort(rounds);
        System.out.printf("%-10s IPv%d  %6.1f CPU ns/packet (min %.1f, max %.1f)  [%d]%n", path, ip, rounds[2],
                rounds[0], rounds[4], sink % 10);
        b.tearDown();
    }
}
