# shellcheck shell=bash
# Installs from Debian's packages whatever the tests and the demo need, only when missing.
# Package services (nginx, keepalived) are not started by the install: tests start their own instances.

FULCRUM_DEB_PACKAGES=(iproute2 iputils-ping procps psmisc ethtool curl nginx-light keepalived tshark nftables haproxy socat rpm binutils lintian rpmlint python3-prometheus-client)

fulcrum_install_deps() {
  local missing=() p
  for p in "${FULCRUM_DEB_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "fulcrum: missing Debian packages: ${missing[*]} (run as root so they can be installed)" >&2
    return 1
  fi
  echo "fulcrum: installing from Debian's packages: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
  local rc=0
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/fulcrum-apt.log 2>&1; then
    apt-get update -qq >>/tmp/fulcrum-apt.log 2>&1 || true
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/fulcrum-apt.log 2>&1 || rc=$?
  fi
  [ $made_policy -eq 1 ] && rm -f "$policy"
  if [ $rc -ne 0 ]; then
    echo "fulcrum: apt-get install failed (exit $rc); see /tmp/fulcrum-apt.log" >&2
    tail -n 20 /tmp/fulcrum-apt.log >&2
    return $rc
  fi
}
