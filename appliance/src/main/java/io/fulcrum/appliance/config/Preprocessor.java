package io.fulcrum.appliance.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first layer of the keepalived.conf reader: turns files into logical lines, as keepalived.conf(5) describes.
 *
 * <p>It removes {@code !} and {@code #} comments outside quotes, follows {@code include} (globs relative to the including
 * file), keeps or drops {@code @ID} / {@code @^ID} conditional lines against the config id, records {@code $NAME=value}
 * parameters (multi-line definitions ending in {@code \}), substitutes {@code ${NAME}} and {@code $NAME}, and replicates
 * lines for {@code ~SEQ(var,start,step,end)}, {@code ~SEQx(...)} and {@code ~LST(var,...)}. Every line keeps the
 * FILE:LINE it came from. One instance per load; confined to the loading thread.
 */
final class Preprocessor {

    private static final int MAX_EXPANSION_DEPTH = 32;
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final int MAX_SUBSTITUTIONS = 1_000;
    private static final int MAX_SEQUENCE_LINES = 1_000_000;
    private static final int MAX_LINES = 4_000_000;
    private static final Set<String> INCLUDE_WORDS = Set.of("include", "includer", "includem", "includew", "includeb", "includea");
    private static final Pattern DEFINITION = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

    private final String configId;
    private final Diagnostics diag;
    private final java.util.function.Consumer<LogicalLine> out;
    private int emitted;
    private final Map<String, List<String>> params = new HashMap<>();
    private final Deque<Path> files = new ArrayDeque<>();
    private final Random random = new Random();
    private String multilineName;
    private List<String> multilineLines;

    /** A preprocessor handing each logical line to {@code out} as soon as it is complete (nothing is kept). */
    Preprocessor(String configId, Diagnostics diag, java.util.function.Consumer<LogicalLine> out) {
        this.configId = configId;
        this.diag = diag;
        this.out = out;
    }

    /** A preprocessor that collects the lines; see {@link #run(Path)}. */
    Preprocessor(String configId, Diagnostics diag) {
        this(configId, diag, new Collector());
    }

    private static final class Collector extends ArrayList<LogicalLine> implements java.util.function.Consumer<LogicalLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(LogicalLine line) {
            add(line);
        }
    }

    /** Reads {@code file} and everything it includes; returns the lines when built to collect them. */
    List<LogicalLine> run(Path file) {
        stream(file);
        return out instanceof Collector c ? List.copyOf(c) : List.of();
    }

    /** Reads {@code file} and everything it includes, handing the lines to the consumer. */
    void stream(Path file) {
        if (!Files.isRegularFile(file)) {
            diag.error(new Origin(file.toString(), 0), "configuration file not found or not a regular file");
            return;
        }
        readFile(file, new Origin(file.toString(), 0));
    }

    private void readFile(Path path, Origin includedFrom) {
        List<String> lines;
        try {
            lines = readLines(path);
        } catch (IOException e) {
            diag.error(includedFrom.line() == 0 ? new Origin(path.toString(), 0) : includedFrom,
                    "cannot read " + path + ": " + e.getMessage());
            return;
        }
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) {
            lines = new ArrayList<>(lines);
            lines.set(0, lines.getFirst().substring(1)); // a byte-order mark left by some editors
        }
        files.push(path);
        try {
            for (int i = 0; i < lines.size(); i++) {
                physicalLine(lines.get(i), new Origin(path.toString(), i + 1));
            }
            finishMultiline();
        } finally {
            files.pop();
        }
    }

    private static List<String> readLines(Path path) throws IOException {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        }
    }

    private void physicalLine(String raw, Origin origin) {
        String text = stripComment(raw).strip();
        if (multilineName != null) {
            if (text.isEmpty()) {
                return;
            }
            if (text.endsWith("\\")) {
                multilineLines.add(text.substring(0, text.length() - 1).strip());
            } else {
                multilineLines.add(text);
                finishMultiline();
            }
            return;
        }
        if (text.isEmpty()) {
            return;
        }
        String first = firstWord(text);
        if (INCLUDE_WORDS.contains(first) && text.indexOf('$') < 0) {
            include(first, text.substring(first.length()).strip(), origin);
            return;
        }
        processLine(text, origin, 0);
    }

    private void finishMultiline() {
        if (multilineName != null) {
            List<String> lines = multilineLines.stream().filter(l -> !l.isEmpty()).toList();
            params.put(multilineName, lines);
            multilineName = null;
            multilineLines = null;
        }
    }

    /**
     * Removes a trailing comment that starts with '#' or '!' outside double quotes. As in keepalived, single quotes do
     * not protect a comment character ({@code ${_HASH}} and {@code ${_BANG}} produce them where needed).
     */
    static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"') {
                quote = c;
            } else if (c == '#' || c == '!') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String firstWord(String text) {
        int i = 0;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '{') {
            i++;
        }
        return text.substring(0, i);
    }

    // ---------------------------------------------------------------- include

    private void include(String keyword, String argument, Origin origin) {
        String pattern = unquote(argument);
        if (pattern.isEmpty()) {
            diag.error(origin, keyword + " needs a file name");
            return;
        }
        if (files.size() > MAX_INCLUDE_DEPTH) {
            diag.error(origin, keyword + " '" + pattern + "': includes nested more than " + MAX_INCLUDE_DEPTH + " deep");
            return;
        }
        Path base = currentDirectory();
        if (!hasGlob(pattern)) {
            Path file;
            try {
                file = base.resolve(pattern).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                diag.error(origin, keyword + " '" + pattern + "': bad file name (" + e.getReason() + ")");
                return;
            }
            if (!Files.isRegularFile(file)) {
                diag.error(origin, keyword + " '" + pattern + "': file not found (" + file + ")");
                return;
            }
            includeFile(keyword, pattern, file, origin);
            return;
        }
        List<Path> matches;
        try {
            matches = glob(base, pattern);
        } catch (IllegalArgumentException e) {
            diag.error(origin, keyword + " '" + pattern + "': bad file pattern (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        if (matches.isEmpty()) {
            diag.warning(origin, keyword + " '" + pattern + "' matches no file");
        }
        for (Path file : matches) {
            includeFile(keyword, pattern, file, origin);
        }
    }

    private void includeFile(String keyword, String pattern, Path file, Origin origin) {
        for (Path open : files) {
            if (sameFile(open, file)) {
                diag.error(origin, keyword + " '" + pattern + "': " + file + " includes itself (include loop)");
                return;
            }
        }
        readFile(file, origin);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private Path currentDirectory() {
        Path current = files.peek();
        Path parent = current == null ? null : current.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Expands a glob pattern component by component, in sorted order, as glob(3) does. */
    static List<Path> glob(Path base, String pattern) {
        Path start;
        String rest;
        if (pattern.startsWith("/")) {
            start = Path.of("/");
            rest = pattern.substring(1);
        } else {
            start = base;
            rest = pattern;
        }
        List<Path> current = List.of(start);
        String[] parts = rest.split("/+");
        for (String part : parts) {
            if (hasGlob(part)) {
                FileSystems.getDefault().getPathMatcher("glob:" + part); // a bad pattern fails here, found files or not
            }
        }
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            boolean last = p == parts.length - 1;
            List<Path> next = new ArrayList<>();
            for (Path dir : current) {
                if (part.isEmpty() || part.equals(".")) {
                    next.add(dir);
                } else if (!hasGlob(part)) {
                    Path candidate = dir.resolve(part);
                    if (last ? Files.isRegularFile(candidate) : Files.isDirectory(candidate)) {
                        next.add(candidate.normalize());
                    }
                } else {
                    next.addAll(matchDirectory(dir, part, last));
                }
            }
            current = next;
        }
        return current.stream().filter(Files::isRegularFile).sorted().toList();
    }

    private static List<Path> matchDirectory(Path dir, String part, boolean last) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + part);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Path name = entry.getFileName();
                if (name.toString().startsWith(".") && !part.startsWith(".")) {
                    continue;
                }
                if (matcher.matches(name) && (last ? Files.isRegularFile(entry) : Files.isDirectory(entry))) {
                    found.add(entry.normalize());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort(null);
        return found;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    // ---------------------------------------------------------------- one logical line

    private void processLine(String line, Origin origin, int depth) {
        if (depth > MAX_EXPANSION_DEPTH) {
            diag.error(origin, "parameter or ~SEQ expansion nested more than " + MAX_EXPANSION_DEPTH + " deep");
            return;
        }
        String text = line;
        if (text.startsWith("@")) {
            boolean negate = text.startsWith("@^");
            int start = negate ? 2 : 1;
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            String id = text.substring(start, end);
            if (id.isEmpty()) {
                diag.error(origin, "conditional '" + text.substring(0, end) + "' has no config id after it");
                return;
            }
            if (id.equals(configId) == negate) {
                return;
            }
            text = text.substring(end).strip();
            if (text.isEmpty()) {
                return;
            }
        }
        Matcher definition = DEFINITION.matcher(text);
        if (definition.matches()) {
            String name = definition.group(1);
            String value = definition.group(2).strip();
            if (value.endsWith("\\") && depth == 0) {
                multilineName = name;
                multilineLines = new ArrayList<>();
                String first = value.substring(0, value.length() - 1).strip();
                if (!first.isEmpty()) {
                    multilineLines.add(first);
                }
            } else {
                params.put(name, List.of(value));
            }
            return;
        }
        if (text.startsWith("~SEQ") || text.startsWith("~LST")) {
            sequence(text, origin, depth);
            return;
        }
        Substituted s = substitute(text, origin);
        if (s == null) {
            return;
        }
        if (s.multiline) {
            for (String part : s.text.split("\n")) {
                String p = part.strip();
                if (!p.isEmpty()) {
                    processLine(p, origin, depth + 1);
                }
            }
        } else if (s.changed && (s.text.startsWith("@") || s.text.startsWith("~SEQ") || s.text.startsWith("~LST")
                || DEFINITION.matcher(s.text).matches())) {
            processLine(s.text.strip(), origin, depth + 1);
        } else if (!s.text.isBlank()) {
            String result = s.text.strip();
            String first = firstWord(result);
            if (INCLUDE_WORDS.contains(first)) {
                // keepalived only sees include on a plain line; Fulcrum also follows it after @ID or $NAME
                include(first, result.substring(first.length()).strip(), origin);
            } else if (emitted < MAX_LINES) {
                emitted++;
                out.accept(new LogicalLine(origin, result));
            } else if (emitted++ == MAX_LINES) {
                diag.error(origin, "the configuration expands to more than " + MAX_LINES + " lines; stopped here");
            }
        }
    }

    // ---------------------------------------------------------------- parameters

    private record Substituted(String text, boolean changed, boolean multiline) {
    }

    /**
     * Replaces defined parameters, rescanning each replacement (keepalived substitutes recursively at use time). Stops at
     * a multi-line value: its lines are processed one by one, so definitions inside it take effect in order.
     */
    private Substituted substitute(String text, Origin origin) {
        StringBuilder sb = new StringBuilder(text);
        boolean changed = false;
        int substitutions = 0;
        int i = 0;
        while (i < sb.length()) {
            if (sb.charAt(i) != '$') {
                i++;
                continue;
            }
            int nameStart;
            int end;
            String name;
            if (i + 1 < sb.length() && sb.charAt(i + 1) == '{') {
                int close = sb.indexOf("}", i + 2);
                if (close < 0) {
                    i++;
                    continue;
                }
                nameStart = i + 2;
                name = sb.substring(nameStart, close).strip();
                end = close + 1;
            } else {
                nameStart = i + 1;
                int j = nameStart;
                if (j < sb.length() && (Character.isLetter(sb.charAt(j)) || sb.charAt(j) == '_')) {
                    while (j < sb.length() && (Character.isLetterOrDigit(sb.charAt(j)) || sb.charAt(j) == '_')) {
                        j++;
                    }
                }
                if (j == nameStart || (j < sb.length() && !Character.isWhitespace(sb.charAt(j)))) {
                    i++;
                    continue;
                }
                name = sb.substring(nameStart, j);
                end = j;
            }
            List<String> value = lookup(name, origin);
            if (value == null) {
                i++;
                continue;
            }
            if (++substitutions > MAX_SUBSTITUTIONS) {
                diag.error(origin, "parameter substitution of '$" + name + "' does not terminate (a parameter refers to itself?)");
                return null;
            }
            changed = true;
            if (value.size() != 1) {
                sb.replace(i, end, String.join("\n", value));
                return new Substituted(sb.toString(), true, true);
            }
            sb.replace(i, end, value.get(0));
        }
        return new Substituted(sb.toString(), changed, false);
    }

    private List<String> lookup(String name, Origin origin) {
        switch (name) {
            case "_PWD" -> {
                return List.of(currentDirectory().toString());
            }
            case "_INSTANCE" -> {
                return List.of(configId);
            }
            case "_HASH" -> {
                return List.of("#");
            }
            case "_BANG" -> {
                return List.of("!");
            }
            default -> {
                if (name.equals("_RANDOM") || name.startsWith("_RANDOM ")) {
                    return List.of(Integer.toString(randomValue(name, origin)));
                }
                return params.get(name);
            }
        }
    }

    private int randomValue(String spec, Origin origin) {
        String[] words = spec.trim().split("\\s+");
        int min = 0;
        int max = 32767;
        try {
            if (words.length > 1) {
                min = Integer.parseInt(words[1]);
            }
            if (words.length > 2) {
                max = Integer.parseInt(words[2]);
            }
        } catch (NumberFormatException e) {
            diag.error(origin, "${" + spec + "}: MIN and MAX must be non-negative integers");
            return 0;
        }
        if (min < 0 || max < min) {
            diag.error(origin, "${" + spec + "}: MIN and MAX must be non-negative integers with MIN <= MAX");
            return 0;
        }
        return min + random.nextInt(max - min + 1);
    }

    // ---------------------------------------------------------------- ~SEQ and ~LST

    private void sequence(String text, Origin origin, int depth) {
        int open = text.indexOf('(');
        String kind = open < 0 ? firstWord(text) : text.substring(0, open).strip();
        if (!kind.equals("~SEQ") && !kind.equals("~SEQx") && !kind.equals("~LST")) {
            diag.error(origin, "unknown line replication '" + kind + "': expected ~SEQ(, ~SEQx( or ~LST(");
            return;
        }
        int close = open < 0 ? -1 : matchingParen(text, open);
        if (open < 0 || close < 0) {
            diag.error(origin, kind + ": missing '(' or ')' in '" + text + "'");
            return;
        }
        List<String> args = splitTopLevel(text.substring(open + 1, close));
        String rest = text.substring(close + 1).strip();
        List<List<String>> names;
        List<List<String>> rows = new ArrayList<>();
        if (kind.startsWith("~SEQ")) {
            if (args.size() < 2 || args.size() > 4 || !args.get(0).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                diag.error(origin, kind + "(" + String.join(",", args) + "): expected (var, [start, [step,]] end)");
                return;
            }
            long[] n = new long[args.size() - 1];
            for (int k = 1; k < args.size(); k++) {
                Long v = parseNumber(args.get(k));
                if (v == null) {
                    diag.error(origin, kind + "(" + String.join(",", args) + "): '" + args.get(k) + "' is not a number");
                    return;
                }
                n[k - 1] = v;
            }
            long end = n[n.length - 1];
            long start = n.length >= 2 ? n[0] : (end > 0 ? 1 : -1);
            long step = n.length == 3 ? n[1] : (end >= start ? 1 : -1);
            if (step == 0) {
                diag.error(origin, kind + "(" + String.join(",", args) + "): step must not be 0");
                return;
            }
            if ((step > 0 && start > end) || (step < 0 && start < end)) {
                diag.error(origin, kind + "(" + String.join(",", args) + "): step " + step + " never goes from "
                        + start + " to " + end);
                return;
            }
            long count = (end - start) / step + 1;
            if (count > MAX_SEQUENCE_LINES) {
                diag.error(origin, kind + "(" + String.join(",", args) + "): " + count + " values, more than "
                        + MAX_SEQUENCE_LINES);
                return;
            }
            names = List.of(List.of(args.get(0)));
            for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
                rows.add(List.of(kind.equals("~SEQx") ? Long.toHexString(v) : Long.toString(v)));
            }
        } else {
            if (args.size() < 2) {
                diag.error(origin, "~LST(" + String.join(",", args) + "): expected (var, value, ...)");
                return;
            }
            List<String> vars = braced(args.get(0));
            for (String v : vars) {
                if (!v.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    diag.error(origin, "~LST: '" + v + "' is not a variable name");
                    return;
                }
            }
            names = List.of(vars);
            for (String a : args.subList(1, args.size())) {
                List<String> values = braced(a);
                if (values.size() != vars.size()) {
                    diag.error(origin, "~LST: value '" + a + "' has " + values.size() + " parts for " + vars.size()
                            + " variables");
                    return;
                }
                rows.add(values);
            }
        }
        List<String> vars = names.get(0);
        Map<String, List<String>> saved = new HashMap<>();
        for (String v : vars) {
            saved.put(v, params.get(v));
        }
        for (List<String> row : rows) {
            for (int k = 0; k < vars.size(); k++) {
                params.put(vars.get(k), List.of(row.get(k)));
            }
            if (!rest.isEmpty()) {
                processLine(rest, origin, depth + 1);
            }
        }
        for (String v : vars) {
            if (saved.get(v) == null) {
                params.remove(v);
            } else {
                params.put(v, saved.get(v));
            }
        }
    }

    private static int matchingParen(String text, int open) {
        int level = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                level++;
            } else if (c == ')' && --level == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int level = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                level++;
            } else if (c == '}') {
                level--;
            } else if (c == ',' && level == 0) {
                parts.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        parts.add(s.substring(from).strip());
        return parts;
    }

    private static List<String> braced(String s) {
        String t = s.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            List<String> parts = new ArrayList<>();
            for (String p : t.substring(1, t.length() - 1).split(",")) {
                parts.add(p.strip());
            }
            return parts;
        }
        return List.of(t);
    }

    private static Long parseNumber(String s) {
        String t = s.strip();
        try {
            boolean negative = t.startsWith("-");
            String digits = negative ? t.substring(1) : t;
            long v = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
