package io.fulcrum.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that builds network namespaces, veth pairs or other kernel objects.
 *
 * <p>Tagged {@code kernel} so the tier runs on its own ({@code -Dgroups=kernel}) or not at all
 * ({@code -DexcludedGroups=kernel}); skipped with a reason when the JVM is not root or {@code ip} is missing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(RequiresRootCondition.class)
public @interface KernelTest {
}
