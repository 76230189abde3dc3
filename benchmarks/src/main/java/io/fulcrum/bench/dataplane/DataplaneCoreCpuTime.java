package io.fulcrum.bench.dataplane;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Measures the dataplane core's CPU time per packet (thread CPU time, not wall time) for each path of
 * {@link DataplaneCoreBenchmark}: on a shared, loaded machine wall-clock JMH scores include time the thread was not
 * running, while thread CPU time does not. Not a JMH benchmark; a companion probe.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.fulcrum.bench.dataplane.DataplaneCoreCpuTime}.
 */
public final class DataplaneCoreCpuTime {

    private DataplaneCoreCpuTime() {
    }

    /** Runs every path for IPv4 and IPv6 and prints CPU ns per packet (median of 5 rounds after warm-up). */
    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String[] paths = args.length > 0 ? args[0].split(",")
                : new String[] {"FNAT", "FNAT_REPLY", "NAT", "NAT_REPLY", "DR", "TUN"};
        for (String path : paths) {
            for (int ip : new int[] {4, 6}) {
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
    }
}
