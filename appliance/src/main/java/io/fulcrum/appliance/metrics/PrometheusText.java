package io.fulcrum.appliance.metrics;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A writer of the Prometheus text exposition format 0.0.4: each family once, as {@code # HELP} and {@code # TYPE}
 * lines followed by its samples ({@code name{label="value",...} number}); HELP text escapes backslash and line feed,
 * label values escape backslash, double quote and line feed; numbers are integers where integral, else the shortest
 * decimal that reads back exactly, without an exponent, with {@code +Inf}, {@code -Inf} and {@code NaN}.
 *
 * <p>Not thread-safe: one writer per scrape, on the scraping thread.
 */
public final class PrometheusText {

    /** The content type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** A metric type. */
    public enum Type {
        /** A value that only goes up (reset on restart or zeroing). */
        COUNTER,
        /** A value that goes up and down. */
        GAUGE;

        String word() {
            return this == COUNTER ? "counter" : "gauge";
        }
    }

    private final StringBuilder sb = new StringBuilder(8192);
    private final Set<String> families = new HashSet<>();
    private String current;

    /**
     * Starts a family; its samples follow with {@link #sample}.
     *
     * @throws IllegalArgumentException for a bad name or a family written twice (a programming error)
     */
    public PrometheusText family(String name, Type type, String help) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        if (!families.add(name)) {
            throw new IllegalArgumentException("metric family written twice: " + name);
        }
        current = name;
        sb.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type.word()).append('\n');
        return this;
    }

    /** A sample of the current family without labels. */
    public PrometheusText sample(double value) {
        return sample(value, new String[0]);
    }

    /**
     * A sample of the current family.
     *
     * @param value the value
     * @param labels alternating label names and values
     */
    public PrometheusText sample(double value, String... labels) {
        return line(number(value), labels);
    }

    /**
     * A sample of the current family with an integral value, written exactly.
     *
     * @param value the value
     * @param labels alternating label names and values
     */
    public PrometheusText sample(long value, String... labels) {
        return line(Long.toString(value), labels);
    }

    private PrometheusText line(String value, String... labels) {
        if (current == null) {
            throw new IllegalStateException("sample before family");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels must be name/value pairs");
        }
        sb.append(current);
        if (labels.length > 0) {
            sb.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("bad label name " + labels[i]);
                }
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(labels[i]).append("=\"");
                escapeLabelValue(sb, labels[i + 1] == null ? "" : labels[i + 1]);
                sb.append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(value).append('\n');
        return this;
    }

    /** Appends {@code v} escaped for a label value. */
    static void escapeLabelValue(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /** The text of a sample value. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    /** The exposition text written so far. */
    public String text() {
        return sb.toString();
    }
}
