package io.fulcrum.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Builds-then-installs test of the DEB and the RPM that {@code mvn -Ppackages package} leaves in packaging/target.
 *
 * <p>Runs after the package phase (failsafe, integration-test), as root, on this machine: it installs the DEB with
 * dpkg, runs the installed {@code fulcrum} on its bundled runtime with a PATH that has no Java 25, reinstalls over an
 * edited conffile, removes and purges; it compares the RPM's file list with the DEB's. The package is purged before
 * and after the class, also when a test fails. The methods run in order (install, reinstall, remove, purge), as an
 * operator would.
 */
@KernelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagesIT {

    private static final String PKG = "fulcrum";
    private static final String CLEAN_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Path CONF = Path.of("/etc/fulcrum/fulcrum.conf");
    private static final Path TUNING = Path.of("/etc/fulcrum/tuning.conf");
    private static final Path DEFAULTS = Path.of("/etc/default/fulcrum");
    private static final List<String> DEB_CONFFILES = List.of(DEFAULTS.toString(), CONF.toString(), TUNING.toString());
    private static final List<String> RPM_CONFFILES =
            List.of(CONF.toString(), TUNING.toString(), "/etc/sysconfig/fulcrum");
    /** Files only the DEB carries (Debian's changelog name and lintian's overrides). */
    private static final Set<String> DEB_ONLY =
            Set.of("/usr/share/doc/fulcrum/changelog.gz", "/usr/share/lintian/overrides/fulcrum");
    private static final String MAIN_CLASS = "io/fulcrum/appliance/Fulcrum.class";
    private static final String ADM_CLASS = "io/fulcrum/appliance/admin/FulcrumAdm.class";
    /** Exit status of the launcher when its main class is not in the installed jars (EX_UNAVAILABLE). */
    private static final int LAUNCHER_CLASS_MISSING = 69;

    private final Path dir = Path.of(System.getProperty("fulcrum.packages.dir", "target"));
    private final String mavenVersion = System.getProperty("fulcrum.version", "0.1.0-SNAPSHOT");
    private Path deb;
    private Path rpm;

    @BeforeAll
    void findPackagesAndClearMachine() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "installing needs dpkg (a Debian machine)");
        deb = single("fulcrum_*_amd64.deb");
        rpm = single("fulcrum-*.x86_64.rpm");
        System.out.printf("packages: %s (%d bytes), %s (%d bytes)%n", deb.getFileName(), Files.size(deb),
                rpm.getFileName(), Files.size(rpm));
        purge(); // left behind by an interrupted run
    }

    @AfterAll
    void restoreMachine() {
        purge();
        assertFalse(installedOrConfigFiles(), "fulcrum still known to dpkg after purge");
    }

    @Test
    @Order(1)
    void rpmInstallsTheSameFilesAsTheDeb() {
        Map<String, String> debEntries = debEntries();
        Map<String, String> rpmEntries = new TreeMap<>();
        for (String line : lines(run(List.of("rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILENAMES}\\n]",
                rpm.toString())).stdout())) {
            int sp = line.indexOf(' ');
            rpmEntries.put(line.substring(sp + 1), line.substring(0, sp));
        }
        Set<String> rpmList = new TreeSet<>(lines(run(List.of("rpm", "-qlp", rpm.toString())).stdout()));
        assertEquals(rpmList, rpmEntries.keySet(), "rpm -qlp and the mode query disagree");

        Map<String, String> debFiles = new TreeMap<>();
        Set<String> debDirs = new TreeSet<>();
        debEntries.forEach((path, mode) -> {
            String p = debToRpmPath(path);
            if (mode.startsWith("d")) {
                debDirs.add(p);
            } else if (!DEB_ONLY.contains(path)) {
                debFiles.put(p, mode);
            }
        });
        Map<String, String> rpmFiles = new TreeMap<>();
        Set<String> rpmDirs = new TreeSet<>();
        rpmEntries.forEach((path, mode) -> {
            if (mode.startsWith("d")) {
                rpmDirs.add(path);
            } else {
                rpmFiles.put(path, mode);
            }
        });

        assertEquals(debFiles.keySet(), rpmFiles.keySet(), "files (and symlinks) differ between the DEB and the RPM");
        assertEquals(debFiles, rpmFiles, "file modes differ between the DEB and the RPM");
        assertTrue(debDirs.containsAll(rpmDirs), "the RPM owns directories the DEB does not have: "
                + rpmDirs.stream().filter(d -> !debDirs.contains(d)).toList());
        assertTrue(rpmDirs.containsAll(List.of("/etc/fulcrum", "/usr/lib/fulcrum", "/usr/lib/fulcrum/runtime",
                "/usr/lib/fulcrum/lib")), "the RPM must own its own directories: " + rpmDirs);
        assertFalse(rpmDirs.contains("/usr/sbin") || rpmDirs.contains("/etc"), "the RPM must not own system dirs");

        for (String must : List.of("/usr/sbin/fulcrum", "/usr/sbin/fulcrumadm", "/usr/lib/fulcrum/runtime/bin/java",
                "/usr/lib/fulcrum/runtime/lib/modules", CONF.toString(), TUNING.toString(), "/etc/sysconfig/fulcrum",
                "/usr/lib/systemd/system/fulcrum.service", "/usr/share/man/man8/fulcrum.8.gz",
                "/usr/share/man/man8/fulcrumadm.8.gz", "/usr/share/man/man5/fulcrum.conf.5.gz",
                "/usr/share/doc/fulcrum/copyright")) {
            assertTrue(rpmFiles.containsKey(must), must + " missing from the packages");
        }
        assertEquals("-rwxr-xr-x", rpmFiles.get("/usr/sbin/fulcrum"));
        assertEquals("-rwxr-xr-x", rpmFiles.get("/usr/lib/fulcrum/runtime/bin/java"));
        assertTrue(rpmFiles.keySet().stream().anyMatch(p -> p.matches("/usr/lib/fulcrum/lib/fulcrum-appliance-.*\\.jar")),
                "the appliance jar is missing");
        assertFalse(rpmFiles.keySet().stream().anyMatch(p -> p.contains("junit") || p.contains("testkit")),
                "test jars shipped");
        System.out.printf("layout: %d files, %d directories of their own, identical in the DEB and the RPM%n",
                rpmFiles.size(), rpmDirs.size());
    }

    @Test
    @Order(2)
    void packageMetadata() {
        String debVersion = mavenVersion.replace("-SNAPSHOT", "~SNAPSHOT");
        assertTrue(deb.getFileName().toString().equals("fulcrum_" + debVersion + "_amd64.deb"), deb.toString());
        Map<String, String> f = new TreeMap<>();
        for (String field : List.of("Package", "Version", "Architecture", "Section", "Priority", "Maintainer",
                "Depends", "Description")) {
            f.put(field, run(List.of("dpkg-deb", "-f", deb.toString(), field)).stdout().strip());
        }
        assertEquals(PKG, f.get("Package"));
        assertEquals(debVersion, f.get("Version"));
        assertEquals("amd64", f.get("Architecture"));
        assertEquals("net", f.get("Section"));
        assertEquals("optional", f.get("Priority"));
        assertTrue(f.get("Maintainer").matches(".+ <[^@ ]+@[^@ ]+>"), f.get("Maintainer"));
        Set<String> depends = Arrays.stream(f.get("Depends").split(","))
                .map(d -> d.strip().split(" ")[0]).collect(Collectors.toSet());
        assertEquals(Set.of("libc6", "iproute2"), depends, f.get("Depends"));
        assertEquals(DEB_CONFFILES.stream().sorted().toList(),
                lines(run(List.of("dpkg-deb", "-I", deb.toString(), "conffiles")).stdout()).stream().sorted().toList());

        String rpmVersion = mavenVersion.replace("-SNAPSHOT", "");
        String rpmRelease = mavenVersion.endsWith("-SNAPSHOT") ? "0.1.SNAPSHOT" : "1";
        assertEquals("fulcrum-" + rpmVersion + "-" + rpmRelease + ".x86_64.rpm", rpm.getFileName().toString());
        assertEquals(PKG + " " + rpmVersion + " " + rpmRelease + " x86_64",
                run(List.of("rpm", "-qp", "--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}", rpm.toString())).stdout());
        Map<String, String> flags = new TreeMap<>();
        for (String line : lines(run(List.of("rpm", "-qp", "--qf", "[%{FILEFLAGS:fflags}|%{FILENAMES}\\n]",
                rpm.toString())).stdout())) {
            String[] kv = line.split("\\|", 2);
            flags.put(kv[1], kv[0]);
        }
        for (String conffile : RPM_CONFFILES) {
            assertTrue(flags.get(conffile).contains("c") && flags.get(conffile).contains("n"),
                    conffile + " must be %config(noreplace), flags: " + flags.get(conffile));
        }
        assertEquals(RPM_CONFFILES.stream().sorted().toList(),
                flags.entrySet().stream().filter(e -> e.getValue().contains("c")).map(Map.Entry::getKey).sorted()
                        .toList(), "the RPM's config files");
        List<String> requires = lines(run(List.of("rpm", "-qp", "--requires", rpm.toString())).stdout());
        assertTrue(requires.contains("iproute"), requires.toString());
        assertFalse(requires.stream().anyMatch(r -> r.startsWith("libjvm") || r.startsWith("libjava")),
                "the RPM must not require the libraries it carries: " + requires);
        List<String> provides = lines(run(List.of("rpm", "-qp", "--provides", rpm.toString())).stdout());
        assertFalse(provides.stream().anyMatch(p -> p.contains(".so")),
                "the bundled runtime's libraries must stay private: " + provides);
        String scripts = run(List.of("rpm", "-qp", "--scripts", rpm.toString())).stdout();
        assertTrue(scripts.contains("postinstall") && scripts.contains("preuninstall")
                && scripts.contains("postuninstall") && scripts.contains("/run/systemd/system"), scripts);
    }

    @Test
    @Order(3)
    void lintianAndRpmlintFindNothingUnexplained() {
        boolean lintian = Files.isExecutable(Path.of("/usr/bin/lintian"));
        boolean rpmlint = Files.isExecutable(Path.of("/usr/bin/rpmlint"));
        assumeTrue(lintian || rpmlint, "neither lintian nor rpmlint installed (scripts/lib/deps.sh lists both)");
        if (lintian) {
            Cmd.Result r = run(Duration.ofMinutes(5), List.of("lintian", "--tag-display-limit", "0", deb.toString()));
            List<String> tags = lines(r.stdout()).stream().filter(l -> l.matches("[EW]: .*")).toList();
            System.out.println("lintian:\n" + String.join("\n", tags));
            assertEquals(List.of(), tags, "lintian tags that neither an override nor README explains");
        }
        if (rpmlint) {
            Cmd.Result r = run(Duration.ofMinutes(3), List.of("rpmlint", "-r",
                    dir.resolve("../src/rpm/fulcrum.rpmlintrc").normalize().toString(), rpm.toString()));
            System.out.println("rpmlint:\n" + r.stdout());
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(r.stdout().contains("0 errors, 0 warnings"), r.stdout());
        }
    }

    @Test
    @Order(4)
    void installedDaemonChecksTheShippedConfigurationOnTheBundledRuntime() throws IOException {
        dpkg("-i", deb.toString());
        assertEquals("install ok installed", status());
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/fulcrum")));
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/fulcrumadm")));
        assertTrue(Files.isRegularFile(CONF) && Files.size(CONF) > 0, "no sample configuration installed");
        assertFalse(Files.exists(Path.of("/etc/systemd/system/multi-user.target.wants/fulcrum.service"),
                java.nio.file.LinkOption.NOFOLLOW_LINKS), "a fresh install must not enable the service (sample config)");

        // The machine's own java (if any) on the clean PATH must be older than 25, or this proves nothing.
        Cmd.Result pathJava = clean("sh", "-c", "command -v java >/dev/null && java -version 2>&1 || echo no java");
        int pathFeature = javaFeature(pathJava.stdout());
        System.out.println("java on " + CLEAN_PATH + ": " + firstLine(pathJava.stdout()));
        assumeTrue(pathFeature < 25, "a Java >= 25 is on the default PATH; cannot show the package does not need it");

        Cmd.Result bundled = clean("/usr/lib/fulcrum/runtime/bin/java", "-version");
        assertEquals(0, bundled.exitCode(), bundled.stderr());
        assertTrue(javaFeature(bundled.stderr()) >= 25, bundled.stderr());
        Set<String> modules = lines(clean("/usr/lib/fulcrum/runtime/bin/java", "--list-modules").stdout()).stream()
                .map(m -> m.replaceFirst("@.*", "")).collect(Collectors.toCollection(TreeSet::new));
        // jdk.httpserver serves the metrics endpoint and jdk.net reads SO_PEERCRED on the control socket.
        assertTrue(modules.containsAll(List.of("java.base", "java.logging", "java.xml", "jdk.unsupported",
                "jdk.httpserver", "jdk.net")), modules.toString());
        assertFalse(modules.contains("java.desktop") || modules.contains("jdk.compiler"),
                "the runtime is not trimmed: " + modules);

        if (!installedJarsContain(MAIN_CLASS)) {
            Cmd.Result missing = clean("/usr/sbin/fulcrum", "-t", "-f", CONF.toString());
            assertEquals(LAUNCHER_CLASS_MISSING, missing.exitCode(), missing.stdout() + missing.stderr());
            assertTrue(missing.stderr().contains("does not contain io.fulcrum.appliance.Fulcrum"), missing.stderr());
            Assumptions.abort("the appliance jar has no io.fulcrum.appliance.Fulcrum yet: fulcrum -t not checked");
        }
        Cmd.Result test = clean("/usr/sbin/fulcrum", "-t", "-f", CONF.toString());
        System.out.println("fulcrum -t: exit " + test.exitCode() + "\n" + test.stdout() + test.stderr());
        assertEquals(0, test.exitCode(), "fulcrum -t on the shipped configuration: " + test.stdout() + test.stderr());

        // The unit's own ExecStartPre line, as systemd would run it: the tuning file, and $DAEMON_ARGS from
        // /etc/default/fulcrum split into words.
        Path unitFile = Path.of("/lib/systemd/system/fulcrum.service");
        String unit = Files.readString(unitFile);
        Matcher pre = Pattern.compile("(?m)^ExecStartPre=(.+)$").matcher(unit);
        assertTrue(pre.find(), unit);
        Matcher daemonArgs = Pattern.compile("(?m)^DAEMON_ARGS=\"(.*)\"$").matcher(Files.readString(DEFAULTS));
        assertTrue(daemonArgs.find(), "no DAEMON_ARGS in " + DEFAULTS);
        List<String> preCommand = new ArrayList<>(List.of("env", "-i", CLEAN_PATH));
        for (String word : pre.group(1).strip().split("\\s+")) {
            if (word.equals("$DAEMON_ARGS")) {
                Arrays.stream(daemonArgs.group(1).split("\\s+")).filter(w -> !w.isEmpty()).forEach(preCommand::add);
            } else {
                preCommand.add(word);
            }
        }
        Cmd.Result preRun = run(Duration.ofSeconds(120), preCommand);
        assertEquals(0, preRun.exitCode(), "ExecStartPre " + preCommand + ": " + preRun.stdout() + preRun.stderr());
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Cmd.Result verify = run(Duration.ofSeconds(60),
                    List.of("systemd-analyze", "verify", "--man=no", unitFile.toString()));
            assertEquals(0, verify.exitCode(), "systemd-analyze verify: " + verify.stdout() + verify.stderr());
        }

        // And -t really checks: a broken copy is refused, naming the file.
        Path broken = Files.createTempFile("fulcrum-broken", ".conf");
        try {
            Files.writeString(broken, Files.readString(CONF)
                    + "\nvrrp_instance PACKAGES_IT {\n    interface lo\n    virtual_router_id 300\n    priority 100\n}\n");
            Cmd.Result bad = clean("/usr/sbin/fulcrum", "-t", "-f", broken.toString());
            assertNotEquals(0, bad.exitCode(), "fulcrum -t accepted virtual_router_id 300");
            assertTrue((bad.stdout() + bad.stderr()).contains(broken.getFileName().toString()),
                    "the error must name the file: " + bad.stdout() + bad.stderr());
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    @Test
    @Order(5)
    void adminLauncherRunsTheAdminToolOrSaysItIsMissing() {
        assumeTrue("install ok installed".equals(status()), "the package is not installed");
        Cmd.Result r = clean("/usr/sbin/fulcrumadm", "-h");
        String out = r.stdout() + r.stderr();
        if (installedJarsContain(ADM_CLASS)) {
            assertFalse(out.contains("does not contain") || out.contains("Could not find or load main class"), out);
        } else {
            assertEquals(LAUNCHER_CLASS_MISSING, r.exitCode(), out);
            assertTrue(r.stderr().contains("does not contain io.fulcrum.appliance.admin.FulcrumAdm"), out);
            assertFalse(out.contains("Exception"), "a clear message, not a stack trace: " + out);
        }
    }

    @Test
    @Order(5)
    void installedDaemonStartsWithTheAotCacheAndWithoutOneThatDoesNotFit() throws IOException {
        assumeTrue("install ok installed".equals(status()), "the package is not installed");
        assumeTrue(installedJarsContain(MAIN_CLASS), "the appliance jar has no io.fulcrum.appliance.Fulcrum yet");
        Path cache = Path.of("/usr/lib/fulcrum/lib/fulcrum.aot");
        assertTrue(Files.isRegularFile(cache), "the package carries no AOT cache (the build's aot-train lines say why)");

        // The cache was trained in the staging tree; the JVM must accept it where dpkg put the files.
        Cmd.Result check = run(Duration.ofSeconds(120), List.of("env", "-i", CLEAN_PATH, "JAVA_OPTS=-Xlog:aot=info",
                "/usr/sbin/fulcrum", "-t", "-f", CONF.toString()));
        String out = check.stdout() + check.stderr();
        assertEquals(0, check.exitCode(), out);
        assertTrue(out.contains("Opened AOT cache " + cache), out);
        assertTrue(out.contains("Using AOT-linked classes: true"), out);

        // A JVM the cache does not fit (no compressed oops) says so and runs without it (-XX:AOTMode=auto).
        Cmd.Result misfit = run(Duration.ofSeconds(120), List.of("env", "-i", CLEAN_PATH,
                "JAVA_OPTS=-XX:-UseCompressedOops", "/usr/sbin/fulcrum", "-t", "-f", CONF.toString()));
        String misfitOut = misfit.stdout() + misfit.stderr();
        assertEquals(0, misfit.exitCode(), misfitOut);
        assertTrue(misfitOut.contains("Unable to use AOT cache"), misfitOut);

        // The installed daemon itself, in a namespace of its own, to MASTER with the cache (the cold-start figure).
        try (NetnsLab lab = NetnsLab.create()) {
            String lb = lab.ns("lb");
            String peer = lab.ns("peer");
            lab.veth(lb, "eth0", peer, "eth0");
            lab.addr(lb, "eth0", "10.232.0.1/24");
            lab.addr(peer, "eth0", "10.232.0.20/24");
            Path conf = lab.workDir().resolve("fulcrum.conf");
            Files.writeString(conf, """
                    global_defs {
                        router_id packages-it
                    }
                    local_address_group laddr {
                        10.232.0.201 eth0
                    }
                    vrrp_instance VI_1 {
                        state MASTER
                        interface eth0
                        virtual_router_id 232
                        priority 150
                        version 3
                        advert_int 0.1
                        virtual_ipaddress {
                            10.232.0.100/24 dev eth0
                        }
                    }
                    virtual_server 10.232.0.100 80 {
                        delay_loop 1
                        lb_algo rr
                        lb_kind FNAT
                        protocol TCP
                        laddr_group_name laddr
                        real_server 10.232.0.20 80 {
                            TCP_CHECK {
                                connect_timeout 1
                            }
                        }
                    }
                    """);
            Path tuning = lab.workDir().resolve("tuning.conf");
            Files.writeString(tuning, "fulcrum.dataplane { workers = 1, conn-table-capacity = 65536 }\n");
            Path run = lab.workDir();
            long spawnedAt = System.currentTimeMillis();
            NetnsLab.Spawned daemon = lab.spawn(lb, List.of("JAVA_OPTS=-Xlog:aot=info"), "/usr/sbin/fulcrum", "-n",
                    "-f", conf.toString(), "--tuning", tuning.toString(), "-p", run.resolve("fulcrum.pid").toString(),
                    "--run-dir", run.toString(), "--control-socket", run.resolve("fulcrum.sock").toString());
            Pattern master = Pattern.compile("\\{\"time\":\"([^\"]+)\",\"event\":\"vrrp_instance\","
                    + "\"instance\":\"VI_1\",\"state\":\"MASTER\"");
            Await.until(() -> "installed daemon MASTER; its output so far:\n" + daemon.output(),
                    Duration.ofSeconds(90), () -> master.matcher(daemon.output()).find() || !daemon.process().isAlive());
            Matcher m = master.matcher(daemon.output());
            assertTrue(m.find(), "the installed daemon did not become MASTER: " + daemon.output());
            System.out.printf("COLDSTART installed /usr/sbin/fulcrum, process start to MASTER: %d ms%n",
                    java.time.Instant.parse(m.group(1)).toEpochMilli() - spawnedAt);
            assertTrue(daemon.output().contains("Using AOT-linked classes: true"), daemon.output());
            daemon.process().destroy(); // SIGTERM: priority 0, addresses released
            assertTrue(daemon.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), daemon.output());
            assertEquals(0, daemon.process().exitValue(), daemon.output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    @Test
    @Order(6)
    void launcherTakesJvmOptionsFromTheDefaultsFileUnlessTheEnvironmentSetsThem() throws IOException {
        assumeTrue("install ok installed".equals(status()), "the package is not installed");
        assumeTrue(installedJarsContain(MAIN_CLASS), "the appliance jar has no io.fulcrum.appliance.Fulcrum yet");
        String original = Files.readString(DEFAULTS);
        try {
            Files.writeString(DEFAULTS, original.replaceFirst("(?m)^JAVA_OPTS=.*$",
                    "JAVA_OPTS=\"-XX:+PrintCommandLineFlags -Xmx123m\""));
            Cmd.Result fromFile = clean("/usr/sbin/fulcrum", "-v");
            assertEquals(0, fromFile.exitCode(), fromFile.stdout() + fromFile.stderr());
            assertTrue(fromFile.stdout().contains("-XX:MaxHeapSize=" + 123L * 1024 * 1024), fromFile.stdout());
            assertTrue(fromFile.stdout().contains("Fulcrum "), fromFile.stdout());

            Cmd.Result fromEnv = run(Duration.ofSeconds(60), List.of("env", "-i", CLEAN_PATH,
                    "JAVA_OPTS=-XX:+PrintCommandLineFlags -Xmx77m", "/usr/sbin/fulcrum", "-v"));
            assertEquals(0, fromEnv.exitCode(), fromEnv.stdout() + fromEnv.stderr());
            assertTrue(fromEnv.stdout().contains("-XX:MaxHeapSize=" + 77L * 1024 * 1024), fromEnv.stdout());
            assertFalse(fromEnv.stdout().contains("-XX:MaxHeapSize=" + 123L * 1024 * 1024),
                    "the defaults file overrode JAVA_OPTS from the environment: " + fromEnv.stdout());
        } finally {
            Files.writeString(DEFAULTS, original);
        }
    }

    @Test
    @Order(7)
    void reinstallKeepsAnEditedConffile() throws IOException {
        assumeTrue("install ok installed".equals(status()), "the package is not installed");
        String mark = "# edited by PackagesIT " + ProcessHandle.current().pid();
        Files.writeString(CONF, Files.readString(CONF) + "\n" + mark + "\n");
        Files.writeString(DEFAULTS, Files.readString(DEFAULTS) + "\n" + mark + "\n");
        dpkg("-i", deb.toString()); // no --force-conf*: a prompt would fail here, stdin is closed
        assertEquals("install ok installed", status());
        assertTrue(Files.readString(CONF).contains(mark), "reinstall overwrote the edited " + CONF);
        assertTrue(Files.readString(DEFAULTS).contains(mark), "reinstall overwrote the edited " + DEFAULTS);
        for (String conffile : DEB_CONFFILES) {
            for (String suffix : List.of(".dpkg-new", ".dpkg-dist", ".dpkg-old")) {
                assertFalse(Files.exists(Path.of(conffile + suffix)), conffile + suffix + " left behind");
            }
        }
    }

    @Test
    @Order(8)
    void removeLeavesOnlyTheConffiles() {
        assumeTrue("install ok installed".equals(status()), "the package is not installed");
        dpkg("-r", PKG);
        assertEquals("deinstall ok config-files", status());
        List<String> left = new ArrayList<>();
        debEntries().forEach((path, mode) -> {
            boolean exists = Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!mode.startsWith("d") && exists && !DEB_CONFFILES.contains(path)) {
                left.add(path);
            }
        });
        assertEquals(List.of(), left, "dpkg -r left package files behind");
        for (String conffile : DEB_CONFFILES) {
            assertTrue(Files.isRegularFile(Path.of(conffile)), conffile + " must stay until purge");
        }
        assertFalse(Files.exists(Path.of("/usr/lib/fulcrum")), "/usr/lib/fulcrum left behind");
    }

    @Test
    @Order(9)
    void purgeRemovesTheConffiles() {
        assumeTrue("deinstall ok config-files".equals(status()), "the package is not in the config-files state");
        dpkg("-P", PKG);
        assertFalse(installedOrConfigFiles(), "dpkg still knows fulcrum: " + status());
        for (String conffile : DEB_CONFFILES) {
            assertFalse(Files.exists(Path.of(conffile)), conffile + " left after purge");
        }
        assertFalse(Files.exists(Path.of("/etc/fulcrum")), "/etc/fulcrum left after purge");
    }

    @Test
    @Order(10)
    void rpmInstallsIntoAScratchRootAndKeepsAnEditedConfig() throws IOException {
        // Not this machine's system: a scratch root with its own rpm database. Scriptlets are not run there (the root
        // has no shell); the payload, the %config(noreplace) handling and the runtime's integrity are checked.
        Path root = Files.createTempDirectory("fulcrum-rpmroot");
        try {
            List<String> rpmCmd = List.of("rpm", "--root", root.toString(), "--nodeps", "--noscripts", "--notriggers");
            run(concat(rpmCmd, "-i", rpm.toString()));
            Cmd.Result java = clean(root.resolve("usr/lib/fulcrum/runtime/bin/java").toString(), "-version");
            assertEquals(0, java.exitCode(), java.stderr());
            assertTrue(javaFeature(java.stderr()) >= 25, java.stderr());
            Path conf = root.resolve("etc/fulcrum/fulcrum.conf");
            Path sysconfig = root.resolve("etc/sysconfig/fulcrum");
            String mark = "# edited by PackagesIT " + ProcessHandle.current().pid();
            Files.writeString(conf, Files.readString(conf) + "\n" + mark + "\n");
            Files.writeString(sysconfig, Files.readString(sysconfig) + "\n" + mark + "\n");

            run(concat(rpmCmd, "-U", "--replacepkgs", rpm.toString()));
            assertTrue(Files.readString(conf).contains(mark), "rpm -U overwrote the edited fulcrum.conf");
            assertTrue(Files.readString(sysconfig).contains(mark), "rpm -U overwrote the edited sysconfig file");
            assertFalse(Files.exists(Path.of(conf + ".rpmnew")), "unchanged packaged config must not give .rpmnew");

            run(concat(rpmCmd, "-e", PKG));
            assertTrue(Files.readString(Path.of(conf + ".rpmsave")).contains(mark), "edited config not kept on erase");
            try (var files = Files.walk(root)) {
                List<String> left = files.filter(Files::isRegularFile).map(f -> "/" + root.relativize(f))
                        .filter(f -> !f.startsWith("/root/.rpmdb/") && !f.startsWith("/var/lib/rpm/"))
                        .sorted().toList();
                assertEquals(List.of("/etc/fulcrum/fulcrum.conf.rpmsave", "/etc/sysconfig/fulcrum.rpmsave"), left,
                        "rpm -e left package files behind");
            }
        } finally {
            run(List.of("rm", "-rf", "--one-file-system", root.toString()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The DEB's entries as absolute paths (symlinks by their own name) with their mode strings. */
    private Map<String, String> debEntries() {
        Map<String, String> entries = new TreeMap<>();
        for (String line : lines(run(List.of("dpkg-deb", "-c", deb.toString())).stdout())) {
            // drwxr-xr-x root/root 0 2026-11-21 19:49 ./etc/fulcrum/        (symlinks: "./a -> b")
            String[] f = line.split("\\s+", 6);
            String name = f[5].replaceFirst(" -> .*$", "").replaceFirst("^\\./", "/").replaceFirst("(.)/$", "$1");
            if (!name.equals("/") && !name.equals("./")) {
                entries.put(name, f[0]);
            }
        }
        return entries;
    }

    /** Where an RPM distribution keeps what the DEB keeps at {@code path}. */
    private static String debToRpmPath(String path) {
        if (path.equals("/etc/default/fulcrum")) {
            return "/etc/sysconfig/fulcrum";
        }
        if (path.equals("/lib") || path.equals("/lib/systemd") || path.startsWith("/lib/systemd/")) {
            return "/usr" + path;
        }
        return path;
    }

    private boolean installedJarsContain(String entry) {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("/usr/lib/fulcrum/lib"), "*.jar")) {
            for (Path jar : jars) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    if (zip.getEntry(entry) != null) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            fail("cannot read the installed jars: " + e);
        }
        return false;
    }

    private Path single(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(found::add);
        }
        assertEquals(1, found.size(), "expected exactly one " + glob + " in " + dir
                + " (mvn -Ppackages package builds it): " + found);
        return found.get(0);
    }

    /** dpkg's status of the package ("install ok installed", "deinstall ok config-files") or "" when unknown. */
    private static String status() {
        Cmd.Result r = Cmd.run("dpkg-query", "-W", "-f=${Status}", PKG);
        return r.ok() ? r.stdout().strip() : "";
    }

    private static boolean installedOrConfigFiles() {
        String s = status();
        return !s.isEmpty() && !s.endsWith("not-installed");
    }

    private static void purge() {
        if (installedOrConfigFiles()) {
            dpkg("-P", PKG);
        }
    }

    /** Runs dpkg, waiting for the lock when another dpkg or apt (another helper's install) holds it. */
    private static Cmd.Result dpkg(String... args) {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Cmd.Result r = Cmd.run(Duration.ofMinutes(3), command);
            if (r.ok()) {
                return r;
            }
            boolean locked = r.stderr().contains("lock");
            if (!locked || System.nanoTime() > deadline) {
                return r.orThrow();
            }
            Await.pause(2000); // another process holds dpkg's lock: wait for it, bounded by the deadline
            if (Thread.currentThread().isInterrupted()) {
                return r.orThrow();
            }
        }
    }

    /** Runs a command with an empty environment but a system PATH: no JAVA_HOME, no JDK 25 on the PATH. */
    private static Cmd.Result clean(String... command) {
        List<String> full = new ArrayList<>(List.of("env", "-i", CLEAN_PATH, "LANG=C.UTF-8"));
        full.addAll(List.of(command));
        return run(Duration.ofSeconds(120), full);
    }

    private static Cmd.Result run(List<String> command) {
        return run(Duration.ofSeconds(120), command).orThrow();
    }

    private static Cmd.Result run(Duration limit, List<String> command) {
        return Cmd.run(limit, command);
    }

    /** The feature version in {@code java -version} output ({@code openjdk version "25.0.3"} gives 25), 0 if none. */
    private static int javaFeature(String versionOutput) {
        Matcher m = Pattern.compile("version \"(1\\.)?(\\d+)").matcher(versionOutput);
        return m.find() ? Integer.parseInt(m.group(2)) : 0;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").strip();
    }
}
