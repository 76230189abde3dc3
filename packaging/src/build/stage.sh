#!/usr/bin/env bash
# Builds the file trees the DEB and the RPM are made from (run by Maven in prepare-package; see packaging/pom.xml).
#
#   stage.sh BASEDIR JARS STAGE VERSION SAMPLE_CONF      (environment: FULCRUM_JDK = the JDK >= 25 running the build)
#
# STAGE/common   files both packages carry: /usr/lib/fulcrum/{lib,runtime}, /usr/sbin launchers, /etc/fulcrum,
#                the systemd unit, man pages, /usr/share/doc/fulcrum/copyright
# STAGE/deb      DEB-only files: /etc/default/fulcrum, the Debian changelog, lintian overrides
# STAGE/rpm      RPM-only files: /etc/sysconfig/fulcrum
# STAGE/*.tar    the same trees as tar archives with their modes, owned by root (jdeb reads these)
# STAGE/deb-control   the DEB's control files with the version filled in
# STAGE/runtime-modules.txt   the modules linked into the runtime, and why
set -euo pipefail

basedir=$1 jars=$2 stage=$3 version=$4 sample_conf=$5
jdk=${FULCRUM_JDK:?FULCRUM_JDK must name the JDK that runs the build}
src=$basedir/src
maintainer=${FULCRUM_MAINTAINER:-Fulcrum maintainers <fulcrum-maintainers@users.noreply.github.com>}

# 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT (sorts before 0.1.0 in dpkg), as jdeb does it.
deb_version=${version/-SNAPSHOT/~SNAPSHOT}
# Reproducible timestamps: the commit time when in git, else now.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$basedir" log -1 --format=%ct 2>/dev/null || date +%s)}

die() { echo "stage.sh: $*" >&2; exit 1; }

[ -x "$jdk/bin/jlink" ] || die "no jlink in $jdk (FULCRUM_JDK must be a full JDK >= 25)"
command -v strip >/dev/null || die "strip is missing; install binutils"
shopt -s nullglob
jar_files=("$jars"/*.jar)
[ ${#jar_files[@]} -gt 0 ] || die "no jars in $jars (maven-dependency-plugin copies them in prepare-package)"

feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[ "${feature:-0}" -ge 25 ] || die "$jdk is Java ${feature:-?}; the runtime must be linked from a JDK >= 25"

rm -rf "$stage"
# Packages of an earlier build (perhaps another version) must not be mistaken for this build's.
rm -f "$(dirname "$stage")"/fulcrum_*.deb "$(dirname "$stage")"/fulcrum-*.rpm
common=$stage/common deb=$stage/deb rpm=$stage/rpm
lib=$common/usr/lib/fulcrum
mkdir -p "$lib/lib" "$common/usr/sbin" "$common/etc/fulcrum" "$common/lib/systemd/system" \
  "$common/usr/share/man/man8" "$common/usr/share/man/man5" "$common/usr/share/doc/fulcrum" \
  "$deb/etc/default" "$deb/usr/share/doc/fulcrum" "$deb/usr/share/lintian/overrides" \
  "$rpm/etc/sysconfig" "$stage/deb-control"

# --- jars ------------------------------------------------------------------------------------------------------
cp "${jar_files[@]}" "$lib/lib/"

# --- the Java runtime ----------------------------------------------------------------------------------------
# Modules: the JDK modules that jdeps finds the jars' classes use, plus modules reached only by reflection or
# service loading, which static analysis cannot see:
#   java.base        always
#   java.logging     java.util.logging, which Netty and the JDK's own classes fall back to
#   java.management  JMX and ManagementFactory (JVM figures for the metrics endpoint)
#   java.naming      logback-classic resolves JNDI names in its configuration (also found by jdeps)
#   java.xml         logback's XML configuration (SAX)
#   jdk.unsupported  sun.misc.Unsafe, which Netty and Agrona reach partly through reflection
#   jdk.management   com.sun.management (process CPU time, open file descriptors) for the metrics endpoint
#   jdk.jfr          JDK Flight Recorder, so an operator can record a running daemon (-XX:StartFlightRecording)
# Not linked although jdeps names them, because only code Fulcrum does not call uses them (checked below: the
# build links them after all the day a Fulcrum class calls that code):
#   java.compiler    org.agrona.generation.* (compiles generated Java source at run time, for code generators)
#   java.desktop     com.typesafe.config.impl.ConfigBeanImpl (java.beans, behind ConfigBeanFactory)
# Not linked either: jdk.crypto.ec (empty since JDK 22: elliptic curves are in java.base, which also carries the
# TLS that SSL_GET checks use), jdk.localedata, jdk.charsets, the tools. jdeps adds jdk.httpserver (the metrics
# endpoint) and jdk.net (SO_PEERCRED on the control socket) because Fulcrum code uses them.
explicit=(java.base java.logging java.management java.naming java.xml jdk.unsupported jdk.management jdk.jfr)
unused_origins='^(org\.agrona\.generation\.|com\.typesafe\.config\.impl\.ConfigBeanImpl)'
entry_points='^(org\.agrona\.generation\.|com\.typesafe\.config\.ConfigBeanFactory)'
jdeps_out=$stage/jdeps-classes.txt
if "$jdk/bin/jdeps" --multi-release "$feature" --ignore-missing-deps -verbose:class \
      --class-path "$(IFS=:; echo "${jar_files[*]}")" "${jar_files[@]}" >"$jdeps_out" 2>"$stage/jdeps.err"; then
  # Lines: "   origin.Class   -> target.Class   module-or-jar"
  if awk '$2 == "->" && $1 ~ /^io\.fulcrum\./ {print $3}' "$jdeps_out" | grep -Eq "$entry_points"; then
    echo "stage.sh: Fulcrum code calls ConfigBeanFactory or org.agrona.generation: linking their modules too"
    unused_origins='^$'
  fi
  # Class-level lines only (4+ fields); the module is the last field, "(jdk.unsupported)" for internal APIs.
  jdk_module() { awk -v skip="$unused_origins" -v want="$1" '
    $2 == "->" && NF >= 4 { m = $NF; gsub(/[()]/, "", m)
      if (m ~ /^(java|jdk)\./ && (want == "used" ? $1 !~ skip : $1 ~ skip)) print m }' "$jdeps_out" | sort -u; }
  found=$(jdk_module used | paste -sd, -)
  dropped=$(comm -13 <(jdk_module used) <(jdk_module skipped) | paste -sd, -)
else
  echo "stage.sh: WARNING: jdeps failed (see $stage/jdeps.err); linking only the explicit module list" >&2
  found= dropped=
fi
modules=$(printf '%s\n' "${explicit[@]}" ${found//,/ } | sort -u | paste -sd, -)
{
  echo "# Modules linked into /usr/lib/fulcrum/runtime (packaging/src/build/stage.sh says why)."
  echo "jdeps: ${found:-<jdeps failed>}"
  echo "explicit: $(IFS=,; echo "${explicit[*]}")"
  echo "not linked (used only by code Fulcrum does not call): ${dropped:-none}"
  echo "linked: $modules"
} >"$stage/runtime-modules.txt"

# --generate-cds-archive: a class-data-sharing archive of the JDK's own classes; every start (the daemon,
# "fulcrum -t" in ExecStartPre, each fulcrumadm call) maps it instead of parsing those classes again.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress zip-6 \
  --generate-cds-archive --output "$lib/runtime"
# jlink also archives for heaps over 32 GiB (uncompressed oops); a load balancer's heap is far smaller, and
# without the file such a JVM merely starts without sharing. Saves 14 MB.
rm -f "$lib/runtime/lib/server/classes_nocoops.jsa"
# Temurin's native code carries symbol tables; strip them as distributions strip theirs (saves 5 MB). Exported
# symbols stay, so hs_err crash logs still name JVM entry points.
while IFS= read -r -d '' f; do
  if head -c 4 "$f" | grep -q 'ELF'; then
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
  fi
done < <(find "$lib/runtime" -type f \( -name '*.so' -o -perm /111 \) -print0)

# --- launchers -------------------------------------------------------------------------------------------------
# The class path lists the jars one by one in C order (not lib/*, whose order is the directory's): the AOT cache
# made below is only used by a JVM with the class path it was trained with.
jar_names=$(cd "$lib/lib" && LC_ALL=C ls -1 -- *.jar)
classpath_of() { local home=$1 n out=; for n in $jar_names; do out=$out${out:+:}$home/lib/$n; done; echo "$out"; }
launcher() { # NAME MAIN_CLASS OPTS_VAR SUMMARY AOT_CACHE
  local entry=${2//./\/}.class
  sed -e "s|@NAME@|$1|g" -e "s|@MAIN_CLASS@|$2|g" -e "s|@MAIN_ENTRY@|$entry|g" -e "s|@OPTS_VAR@|$3|g" \
      -e "s|@SUMMARY@|$4|g" -e "s|@AOT_CACHE@|$5|g" \
      -e "s|@CLASSPATH@|\"$(classpath_of '$FULCRUM_HOME')\"|g" "$src/main/bin/launcher.in" >"$common/usr/sbin/$1"
}
# fulcrumadm, a short-lived client that loads few of the daemon's classes, keeps the runtime's own CDS archive:
# the AOT cache would make it map and link all of the daemon's classes on every call.
launcher fulcrum io.fulcrum.appliance.Fulcrum JAVA_OPTS "the Fulcrum load-balancer daemon" fulcrum.aot
launcher fulcrumadm io.fulcrum.appliance.admin.FulcrumAdm FULCRUMADM_JAVA_OPTS "administer a running Fulcrum daemon" ""

# --- configuration ---------------------------------------------------------------------------------------------
if [ -f "$sample_conf" ]; then
  { echo "! /etc/fulcrum/fulcrum.conf - the Fulcrum load balancer's configuration, in keepalived's syntax."
    echo "! Installed from the project's sample $(basename "$sample_conf"); see fulcrum.conf(5). Edit it for this"
    echo "! node, check it with \"fulcrum -t -f /etc/fulcrum/fulcrum.conf\", then \"systemctl enable --now fulcrum\"."
    echo "!"
    cat "$sample_conf"; } >"$common/etc/fulcrum/fulcrum.conf"
  echo "stage.sh: /etc/fulcrum/fulcrum.conf from $sample_conf"
else
  cp "$src/main/etc/fulcrum.conf" "$common/etc/fulcrum/fulcrum.conf"
  echo "stage.sh: /etc/fulcrum/fulcrum.conf from packaging's own sample ($sample_conf does not exist)"
fi
# The tuning file lists the daemon's own defaults (reference.conf in the appliance jar), every line commented out,
# so it can never disagree with the build it ships with. Without a reference.conf: an empty root block.
tuning=$common/etc/fulcrum/tuning.conf
sed '/^fulcrum {/,$d' "$src/main/etc/tuning.conf" >"$tuning"
refdir=$stage/reference
mkdir -p "$refdir"
for j in "$lib"/lib/fulcrum-appliance-*.jar; do
  (cd "$refdir" && "$jdk/bin/jar" --extract --file "$j" reference.conf 2>/dev/null) || true
done
if [ -s "$refdir/reference.conf" ]; then
  awk '
    { line[NR] = $0 }
    END {
      first = 0; last = 0
      for (i = 1; i <= NR; i++) if (line[i] !~ /^[ \t]*($|#|\/\/)/) { if (!first) first = i; last = i }
      wrapped = first && line[first] ~ /^fulcrum[ \t]*\{[ \t]*$/ && line[last] ~ /^\}[ \t]*$/
      for (i = 1; i <= NR; i++) {
        l = line[i]
        if (wrapped && i < first) continue  # skip the preamble of reference.conf: the header above says it
        if (wrapped && (i == first || i == last)) { print l; continue }
        if (l ~ /^[ \t]*($|#|\/\/)/) { print l; continue }
        match(l, /^[ \t]*/); print substr(l, 1, RLENGTH) "# " substr(l, RLENGTH + 1)
      }
      if (!wrapped) { print ""; print "fulcrum {"; print "}" }
    }' "$refdir/reference.conf" >>"$tuning"
  echo "stage.sh: /etc/fulcrum/tuning.conf from the appliance's reference.conf, commented out"
else
  sed -n '/^fulcrum {/,$p' "$src/main/etc/tuning.conf" >>"$tuning"
  echo "stage.sh: /etc/fulcrum/tuning.conf without keys (no reference.conf in the appliance jar yet)"
fi
cp "$src/main/etc/default-fulcrum" "$deb/etc/default/fulcrum"
cp "$src/main/etc/default-fulcrum" "$rpm/etc/sysconfig/fulcrum"

# --- systemd, man pages, documents -----------------------------------------------------------------------------
cp "$src/main/systemd/fulcrum.service" "$common/lib/systemd/system/fulcrum.service"
for page in fulcrum.8 fulcrumadm.8 fulcrum.conf.5; do
  section=${page##*.}
  gzip -9n <"$src/main/man/$page" >"$common/usr/share/man/man$section/$page.gz"
done
cp "$src/main/doc/copyright" "$common/usr/share/doc/fulcrum/copyright"
cp "$src/deb/lintian-overrides" "$deb/usr/share/lintian/overrides/fulcrum"
# A native package (the project is its own upstream), so the changelog is changelog.gz, not changelog.Debian.gz.
{
  echo "fulcrum ($deb_version) unstable; urgency=medium"
  echo
  echo "  * Built from the Fulcrum source tree; its git history lists the changes."
  echo
  echo " -- $maintainer  $(LC_ALL=C date -u -R -d "@$epoch")"
} | gzip -9n >"$deb/usr/share/doc/fulcrum/changelog.gz"

# --- control files ---------------------------------------------------------------------------------------------
for f in control conffiles postinst prerm postrm; do
  sed -e "s|@DEB_VERSION@|$deb_version|g" -e "s|@MAINTAINER@|$maintainer|g" "$src/deb/control/$f" \
    >"$stage/deb-control/$f"
done
chmod 0755 "$stage/deb-control/postinst" "$stage/deb-control/prerm" "$stage/deb-control/postrm"

# --- the AOT cache ---------------------------------------------------------------------------------------------
# /usr/lib/fulcrum/lib/fulcrum.aot: a training run of the daemon (appliance/src/build/aot-train.sh: the real daemon
# in a private network namespace) on the bundled runtime with the launcher's class path, staged here. The JVM accepts
# the cache under /usr/lib/fulcrum because the class path keeps its relative layout; every staged file first gets the
# mtime the packages give it (the tar archives' --mtime), as the JVM compares jar mtimes too. FULCRUM_AOT_SKIP=true
# (mvn -Dfulcrum.aot.skip=true) leaves the cache out; a failed training leaves it out with a warning.
find "$common" -exec touch -h -d "@$epoch" {} +
bash "$basedir/../appliance/src/build/aot-train.sh" "$lib/runtime/bin/java" "$(classpath_of "$lib")" \
  "$lib/lib/fulcrum.aot" "$stage/aot-train"
if [ -f "$lib/lib/fulcrum.aot" ]; then
  # the JVM reads the cache; nothing executes it
  chmod 0644 "$lib/lib/fulcrum.aot"
  touch -d "@$epoch" "$lib/lib/fulcrum.aot" "$lib/lib"
fi

# --- modes and archives ----------------------------------------------------------------------------------------
# Directories 0755; files 0755 when jlink made them executable (bin/java, lib/jspawnhelper, ...), else 0644.
chmod 0755 "$common/usr/sbin/fulcrum" "$common/usr/sbin/fulcrumadm"
for tree in "$common" "$deb" "$rpm"; do
  find "$tree" -type d -exec chmod 0755 {} +
  find "$tree" -type f -perm /111 -exec chmod 0755 {} +
  find "$tree" -type f ! -perm /111 -exec chmod 0644 {} +
done
for name in common deb rpm; do
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage/$name" -cf "$stage/$name.tar" .
done
echo "stage.sh: staged $(du -sh "$common" | cut -f1) under $common (runtime modules: $modules)"
