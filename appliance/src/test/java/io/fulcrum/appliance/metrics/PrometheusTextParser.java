package io.fulcrum.appliance.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, written from the format's specification for the
 * tests (the Java client libraries only write the format): {@code # HELP} and {@code # TYPE} at most once per family
 * and before its samples, every sample belonging to the family declared last (histogram/summary suffixes aside), a
 * family's samples contiguous, valid metric and label names, label values with only {@code \\ \" \n} escapes, no
 * duplicate label names or series, values as Go's ParseFloat reads them (plus {@code +Inf -Inf NaN}), an optional
 * integer timestamp, line feeds only, the text ending with a line feed.
 */
public final class PrometheusTextParser {

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One family. */
    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    /** A violation of the format, with the line number. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?|Inf|inf)|NaN");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusTextParser() {
    }

    public static Map<String, Family> parse(String text) throws FormatException {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new FormatException(0, "text does not end with a line feed");
        }
        if (text.indexOf('\r') >= 0) {
            throw new FormatException(0, "carriage return in the text");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            int ln = i + 1;
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!NAME.matcher(name).matches()) {
                        throw new FormatException(ln, "bad metric name " + name);
                    }
                    if (closed.contains(name)) {
                        throw new FormatException(ln, name + " declared after its samples ended");
                    }
                    if (!name.equals(current)) {
                        if (current != null) {
                            closed.add(current);
                        }
                        current = name;
                    }
                    String rest = parts.length == 4 ? parts[3] : "";
                    if (parts[1].equals("HELP")) {
                        if (help.put(name, unescapeHelp(ln, rest)) != null) {
                            throw new FormatException(ln, "second HELP for " + name);
                        }
                    } else {
                        if (!TYPES.contains(rest)) {
                            throw new FormatException(ln, "bad type '" + rest + "'");
                        }
                        if (types.put(name, rest) != null) {
                            throw new FormatException(ln, "second TYPE for " + name);
                        }
                        if (families.containsKey(name) && !families.get(name).samples().isEmpty()) {
                            throw new FormatException(ln, "TYPE for " + name + " after its samples");
                        }
                    }
                    families.computeIfAbsent(name, n -> new Family(n, null, null, new ArrayList<>()));
                }
                continue;
            }
            Sample s = sample(ln, line);
            String family = familyOf(s.name(), types);
            if (!family.equals(current)) {
                if (closed.contains(family)) {
                    throw new FormatException(ln, "samples of " + family + " are not contiguous");
                }
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
            String key = s.name() + s.labels();
            if (!series.add(key)) {
                throw new FormatException(ln, "duplicate series " + key);
            }
            families.computeIfAbsent(family, n -> new Family(n, null, null, new ArrayList<>())).samples().add(s);
        }
        Map<String, Family> result = new LinkedHashMap<>();
        for (Family f : families.values()) {
            result.put(f.name(), new Family(f.name(), types.getOrDefault(f.name(), "untyped"), help.get(f.name()),
                    List.copyOf(f.samples())));
        }
        return result;
    }

    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t)) {
                    return base;
                }
            }
        }
        return name;
    }

    private static String unescapeHelp(int ln, String s) throws FormatException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new FormatException(ln, "dangling backslash in HELP");
                }
                char n = s.charAt(++i);
                switch (n) {
                    case '\\' -> sb.append('\\');
                    case 'n' -> sb.append('\n');
                    default -> throw new FormatException(ln, "bad escape \\" + n + " in HELP");
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Sample sample(int ln, String line) throws FormatException {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!NAME.matcher(name).matches()) {
            throw new FormatException(ln, "bad metric name '" + name + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new FormatException(ln, "label without '='");
                }
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches()) {
                    throw new FormatException(ln, "bad label name '" + label + "'");
                }
                i = eq + 1;
                if (i >= line.length() || line.charAt(i) != '"') {
                    throw new FormatException(ln, "label value not quoted");
                }
                i++;
                StringBuilder v = new StringBuilder();
                boolean closedQuote = false;
                while (i < line.length()) {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        if (i >= line.length()) {
                            throw new FormatException(ln, "dangling backslash in label value");
                        }
                        char n = line.charAt(i++);
                        switch (n) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new FormatException(ln, "bad escape \\" + n + " in label value");
                        }
                    } else if (c == '"') {
                        closedQuote = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closedQuote) {
                    throw new FormatException(ln, "unterminated label value");
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new FormatException(ln, "duplicate label " + label);
                }
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new FormatException(ln, "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new FormatException(ln, "expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) {
            throw new FormatException(ln, "expected VALUE [TIMESTAMP]");
        }
        if (!FLOAT.matcher(rest[0]).matches()) {
            throw new FormatException(ln, "bad value '" + rest[0] + "'");
        }
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
            throw new FormatException(ln, "bad timestamp '" + rest[1] + "'");
        }
        double value = switch (rest[0]) {
            case "+Inf", "Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        return new Sample(name, labels, value);
    }
}
