package io.fulcrum.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocessing layer on its own: the logical lines it produces, with their FILE:LINE. */
class PreprocessorTest {

    @TempDir
    Path dir;

    private List<String> lines(String text, String id) throws IOException {
        Path f = dir.resolve("p.conf");
        Files.writeString(f, text);
        Diagnostics d = new Diagnostics();
        List<LogicalLine> out = new Preprocessor(id, d).run(f);
        assertTrue(!d.hasErrors(), d.all().toString());
        return out.stream().map(LogicalLine::text).toList();
    }

    @Test
    void commentsOutsideDoubleQuotesOnly() {
        assertEquals("a b ", Preprocessor.stripComment("a b # c"));
        assertEquals("a b ", Preprocessor.stripComment("a b ! c"));
        assertEquals("x \"#not\" ", Preprocessor.stripComment("x \"#not\" # yes"));
        assertEquals("x \"a\\\"#b\"", Preprocessor.stripComment("x \"a\\\"#b\""));
    }

    @Test
    void conditionalsAndNegation() throws IOException {
        assertEquals(List.of("a", "c"), lines("@lb1 a\n@lb2 b\n@^lb2 c\n@^lb1 d\n", "lb1"));
    }

    @Test
    void parametersAreSubstitutedAtUseTimeAndRecursively() throws IOException {
        // the example of keepalived.conf(5): definition refers to a parameter defined later
        assertEquals(List.of("10.2.0.100/32", "10.2.10.100/32"), lines("""
                $ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}
                $ADDRESS_BASE_SUB=0
                ${ADDRESS_BASE}.100/32
                $ADDRESS_BASE_SUB=10
                ${ADDRESS_BASE}.100/32
                """, "x"));
    }

    @Test
    void undefinedParametersStayAndDollarNeedsWhitespaceAfter() throws IOException {
        assertEquals(List.of("script \"/bin/x $HOME ${UNDEF}\"", "a vx", "a $Vx"),
                lines("script \"/bin/x $HOME ${UNDEF}\"\n$V=v\na ${V}x\na $Vx\n", "x"));
    }

    @Test
    void parameterCanCarryAConditional() throws IOException {
        assertEquals(List.of("priority 240"), lines("$IF_MAIN=@main\n$IF_MAIN priority 240\n", "main"));
        assertEquals(List.of(), lines("$IF_MAIN=@main\n$IF_MAIN priority 240\n", "backup"));
    }

    @Test
    void predefinedParameters() throws IOException {
        List<String> l = lines("a ${_PWD}\nb ${_INSTANCE}\nc ${_HASH}${_BANG}\nd ${_RANDOM 5 5}\n", "node7");
        assertEquals(List.of("a " + dir.toAbsolutePath(), "b node7", "c #!", "d 5"), l);
    }

    @Test
    void sequencesNestAndCombineWithLists() throws IOException {
        assertEquals(List.of("192.168.10.1", "192.170.10.1", "192.168.20.4", "192.170.20.4"),
                lines("~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) 192.${IP2}.${IP}.${IP1}\n", "x"));
        assertEquals(List.of("n 3", "n 2", "n 1"), lines("~SEQ(N, 3, 1) n ${N}\n", "x"));
        assertEquals(List.of("n 1", "n 2"), lines("~SEQ(N, 2) n ${N}\n", "x"));
        assertEquals(List.of("fe81::10:90:12", "fe81::10:90:11"),
                lines("~SEQx(AD2, 0x90, 0x10, 0x9f) ~SEQx(AD1, 0x12, -1, 0x11) fe81::10:${AD2}:${AD1}\n", "x"));
    }

    @Test
    void includeInsideABlockWithBraceGlobKeepsFileAndLine() throws IOException {
        Files.createDirectories(dir.resolve("rs"));
        Files.writeString(dir.resolve("rs/a.conf"), "\nreal_server 10.0.0.1 80 { weight 1 }\n");
        Files.writeString(dir.resolve("rs/b.conf"), "real_server 10.0.0.2 80 { weight 2 }\n");
        Files.writeString(dir.resolve("rs/c.conf"), "real_server 10.0.0.3 80 { weight 3 }\n");
        Path f = dir.resolve("main.conf");
        Files.writeString(f, "virtual_server 10.0.0.100 80 {\n    protocol TCP\n    include rs/{a,c}.conf\n}\n");
        LoadResult r = ConfigLoader.load(f, "x");
        assertTrue(r.ok(), r.errors().toString());
        List<RealServer> rs = r.config().virtualServers().getFirst().realServers();
        assertEquals(List.of(1, 3), rs.stream().map(RealServer::weight).toList());
        assertEquals(new Origin(dir.resolve("rs/a.conf").toString(), 2), rs.getFirst().origin());
    }

    @Test
    void defaultConfigIdIsTheShortNodeName() throws IOException {
        String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String expected = node.contains(".") ? node.substring(0, node.indexOf('.')) : node;
        assertEquals(expected, ConfigLoader.defaultConfigId());
        Path f = dir.resolve("id.conf");
        Files.writeString(f, "global_defs {\n  @" + expected + " router_id THIS_NODE\n  @^" + expected + " router_id OTHER\n}\n");
        assertEquals("THIS_NODE", ConfigLoader.load(f, null).config().globalDefs().routerId());
    }

    @Test
    void includeAfterAConditionalOrParameterIsFollowed() throws IOException {
        Files.writeString(dir.resolve("lb1.inc"), "router_id ONE\n");
        Files.writeString(dir.resolve("lb2.inc"), "router_id TWO\n");
        assertEquals(List.of("global_defs {", "router_id ONE", "}"),
                lines("global_defs {\n@lb1 include lb1.inc\n@lb2 include lb2.inc\n}\n", "lb1"));
        assertEquals(List.of("router_id TWO"), lines("$NODE=lb2\ninclude ${NODE}.inc\n", "x"));
    }

    @Test
    void byteOrderMarkAndCrLfLineEndingsAreAccepted() throws IOException {
        assertEquals(List.of("global_defs {", "router_id X", "}"), lines("\uFEFFglobal_defs {\r\n  router_id X\r\n}\r\n", "x"));
    }
}
