package io.fulcrum.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit condition that enables kernel tests only for root with iproute2 installed.
 *
 * <p>Evaluated by JUnit on the test thread; holds no state.
 */
public final class RequiresRootCondition implements ExecutionCondition {

    /** Creates the condition; JUnit instantiates it. */
    public RequiresRootCondition() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!isRoot()) {
            return ConditionEvaluationResult.disabled("kernel test needs root (network namespaces, veth)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return ConditionEvaluationResult.disabled("kernel test needs iproute2's ip");
        }
        return ConditionEvaluationResult.enabled("root");
    }

    /** Whether this JVM runs with effective uid 0, read from /proc so no native call is needed. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.split("\\s+");
                    return f.length > 2 && f[2].equals("0");
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }
}
