package io.fulcrum.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that runs a real peer nobody here wrote (keepalived, nginx, curl, tshark) in network namespaces.
 *
 * <p>Tagged {@code kernel} and {@code interop}; skipped with a reason when the JVM is not root.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@Tag("interop")
@ExtendWith(RequiresRootCondition.class)
public @interface InteropTest {
}
