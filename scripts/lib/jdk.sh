# shellcheck shell=bash
# Locates a JDK >= 25 for every Fulcrum script and launcher. Source this file, then call fulcrum_java_home.
# Order: $JAVA_HOME if it is >= 25, then the newest JDK >= 25 under /usr/lib/jvm. Nobody has to export anything.

FULCRUM_MIN_JAVA=25

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing.
fulcrum_jdk_feature() {
  local home=$1 v=""
  [ -x "$home/bin/java" ] || return 1
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  fi
  [ -n "$v" ] && echo "$v"
}

# Prints the JAVA_HOME to use, or explains what to install and returns 1.
fulcrum_java_home() {
  local need=${1:-$FULCRUM_MIN_JAVA} best="" bestv=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(fulcrum_jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$need" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    [ -x "$d/bin/javac" ] || [ -x "$d/bin/jlink" ] || [ -x "$d/bin/java" ] || continue
    v=$(fulcrum_jdk_feature "$d") || continue
    if [ -n "$v" ] && [ "$v" -ge "$need" ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "fulcrum: no Java $need or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
  echo "fulcrum: install a JDK $need (for example Temurin 25 into /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME to one." >&2
  return 1
}

# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which Java 25 warns about on every run; allow it quietly.
fulcrum_maven_opts() {
  case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
}
