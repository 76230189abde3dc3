#!/usr/bin/env bash
# Creates the JDK AOT cache of the Fulcrum daemon (JEP 483 ahead-of-time class loading and linking, JEP 514 one-step
# training with -XX:AOTCacheOutput, JEP 515 method profiles) from a training run. Used at build time by the appliance
# (target/dist/lib/fulcrum.aot) and by the packages (/usr/lib/fulcrum/lib/fulcrum.aot, trained with the bundled jlink
# runtime).
#
#   aot-train.sh JAVA CLASSPATH OUTPUT WORKDIR
#
# JAVA and CLASSPATH must be exactly what the launcher runs later (the same java, the same jars in the same order and
# relative layout, the same mtimes): a cache is only used by a JVM whose class path matches the training's. The
# launcher passes -XX:AOTCache=OUTPUT when the file exists; with the default -XX:AOTMode=auto a cache that does not
# match (another JDK build, a changed jar, -Xmx above 32 GiB) is ignored with a warning and the daemon starts anyway.
#
# The training run is the real daemon, not an imitation: it starts on a FullNAT sample (VRRP state MASTER, a
# dataplane worker, TCP and HTTP checks) inside a network namespace of its own that holds nothing but a veth pair,
# becomes MASTER, writes its data and stats dumps, and stops with SIGTERM. Nothing reaches the host's network.
# As root the namespace is made with "unshare --net" (AF_XDP works there); otherwise with
# "unshare --user --map-root-user --net" where the kernel allows unprivileged user namespaces (the dataplane then
# falls back to AF_PACKET, netlink to SO_RCVBUF: checked as user nobody). Where neither works the training is "fulcrum -t -d" on the same sample: configuration,
# tuning, logging and JSON classes only. The script never fails the build: without a cache the launcher simply runs
# without one (exit status 0; a warning says why).
set -uo pipefail

java=$1 classpath=$2 out=$3 work=$4
log() { echo "aot-train: $*"; }

if [ "${FULCRUM_AOT_SKIP:-}" = true ]; then
  log "FULCRUM_AOT_SKIP=true: no AOT cache"
  exit 0
fi
rm -f "$out" "$out.config"
rm -rf "$work"
mkdir -p "$work"
if ! "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
  log "WARNING: $java has no -XX:AOTCacheOutput (JDK >= 25 needed); no AOT cache"
  exit 0
fi

cat >"$work/train.conf" <<'EOF'
! Fulcrum AOT training run: one node, state MASTER, FullNAT with a TCP and an HTTP check, in a private namespace.
global_defs {
    router_id aot-train
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 1
}
local_address_group laddr {
    10.231.0.201 t0
}
vrrp_instance VI_1 {
    state MASTER
    interface t0
    virtual_router_id 231
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        10.231.0.100/24 dev t0
    }
    track_interface {
        t1
    }
}
virtual_server 10.231.0.100 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind FNAT
    protocol TCP
    laddr_group_name laddr
    real_server 10.231.0.20 80 {
        weight 1
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.231.0.21 80 {
        weight 2
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
        }
    }
}
EOF
cat >"$work/train.hocon" <<'EOF'
fulcrum.dataplane {
  io-mode = auto
  workers = 1
  conn-table-capacity = 65536
}
EOF

# The daemon's command line inside the namespace (the launchers' JVM options, plus the cache output).
daemon=("$java" --enable-native-access=ALL-UNNAMED "-XX:AOTCacheOutput=$out" -cp "$classpath"
  io.fulcrum.appliance.Fulcrum -n -i aot-train -f "$work/train.conf" --tuning "$work/train.hocon"
  -p "$work/fulcrum.pid" --run-dir "$work" --control-socket "$work/fulcrum.sock")

# Runs inside the new network namespace: a veth pair, the daemon until MASTER, the dumps, SIGTERM. The JVM writes
# the cache when it exits (it starts a second JVM to assemble it, which takes a few seconds).
inner='
set -u
work=$1; shift
ip link set lo up && ip link add t0 type veth peer name t1 && ip addr add 10.231.0.1/24 dev t0 \
  && ip addr add 10.231.0.20/24 dev t1 && ip addr add 10.231.0.21/24 dev t1 && ip link set t0 up \
  && ip link set t1 up || exit 90
: >"$work/daemon.log"
env --default-signal=HUP "$@" >>"$work/daemon.log" 2>&1 &
pid=$!
up=
for _ in $(seq 1 1200); do
  if grep -q "\"event\":\"vrrp_instance\",\"instance\":\"VI_1\",\"state\":\"MASTER\"" "$work/daemon.log"; then up=1; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
if [ -n "$up" ]; then
  # let the checkers run a round, then the two dumps (SIGUSR1 data, SIGUSR2 stats)
  for _ in $(seq 1 50); do grep -q "Removing service\|Adding service\|Enabling service" "$work/daemon.log" && break; sleep 0.1; done
  kill -USR1 $pid; kill -USR2 $pid
  for _ in $(seq 1 50); do [ "$(grep -c "written to" "$work/daemon.log")" -ge 2 ] && break; sleep 0.1; done
fi
kill -TERM $pid 2>/dev/null
for _ in $(seq 1 3000); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then kill -KILL $pid; exit 91; fi
wait $pid
rc=$?
[ -n "$up" ] || exit 92
exit $rc
'
how=
if command -v unshare >/dev/null && command -v ip >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    how="unshare --net"
    unshare --net bash -c "$inner" inner "$work" "${daemon[@]}"
  else
    how="unshare --user --map-root-user --net"
    unshare --user --map-root-user --net bash -c "$inner" inner "$work" "${daemon[@]}"
  fi
  rc=$?
else
  rc=93
fi
if [ $rc = 0 ] && [ -s "$out" ]; then
  log "trained on the daemon in a private network namespace ($how): $(grep -m1 'dataplane: ready' "$work/daemon.log" || true)"
else
  case $rc in
    90) why="could not set up the namespace's veth pair" ;;
    91) why="the daemon did not stop within 300 s" ;;
    92) why="the daemon did not become MASTER within 120 s" ;;
    93) why="unshare or ip is missing" ;;
    *) why="exit status $rc" ;;
  esac
  log "the daemon could not be trained in a private network namespace (${how:-none}: $why); its output:"
  tail -n 15 "$work/daemon.log" 2>/dev/null | sed 's/^/aot-train:   /'
  log "training on \"fulcrum -t -d\" instead (configuration, tuning and JSON classes only)"
  rm -f "$out"
  "$java" --enable-native-access=ALL-UNNAMED "-XX:AOTCacheOutput=$out" -cp "$classpath" io.fulcrum.appliance.Fulcrum \
    -t -d -i aot-train -f "$work/train.conf" --tuning "$work/train.hocon" >"$work/config-test.log" 2>&1
fi
if [ ! -s "$out" ]; then
  log "WARNING: no AOT cache was written; the launcher runs without one. Last output:"
  tail -n 15 "$work/config-test.log" "$work/daemon.log" 2>/dev/null | sed 's/^/aot-train:   /'
  rm -f "$out"
  exit 0
fi
# The cache must be usable by exactly this java and class path.
if "$java" -XX:AOTCache="$out" -Xlog:aot=info --enable-native-access=ALL-UNNAMED -cp "$classpath" \
    io.fulcrum.appliance.Fulcrum -v 2>&1 | grep -q 'Using AOT-linked classes: true'; then
  log "$out ($(du -h "$out" | cut -f1)) is used by $java with this class path"
else
  log "WARNING: $out does not load with $java and this class path; removed"
  rm -f "$out"
fi
exit 0
