package io.fulcrum.appliance.config;

import java.time.Duration;

/**
 * A {@code vrrp_script} block: a command run periodically whose exit status raises, lowers or faults instances.
 *
 * <p>Immutable; any thread.
 *
 * @param name the script name used by {@code track_script}
 * @param script {@code script} command line
 * @param interval {@code interval} whole seconds 1..4294 (default 1 s)
 * @param timeout {@code timeout} whole seconds (default: the interval)
 * @param weight {@code weight} -253..253 (default 0: fault on failure)
 * @param weightReverse {@code weight N reverse}
 * @param rise {@code rise} (default 1)
 * @param fall {@code fall} (default 1)
 * @param user {@code user} or null
 * @param group the group after {@code user}, or null
 * @param initFail {@code init_fail}
 * @param origin where the block starts
 */
public record VrrpScript(String name, String script, Duration interval, Duration timeout, int weight,
                         boolean weightReverse, int rise, int fall, String user, String group, boolean initFail,
                         Origin origin) {
}
