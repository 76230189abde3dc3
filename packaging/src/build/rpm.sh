#!/usr/bin/env bash
# Builds the RPM from the staged tree with rpmbuild (Debian's rpm package). Run by Maven in the package phase.
#
#   rpm.sh BASEDIR STAGE TARGET VERSION [xz|gzip]    ->  TARGET/fulcrum-<version>-<release>.x86_64.rpm
#
# Maven 0.1.0-SNAPSHOT becomes version 0.1.0, release 0.1.SNAPSHOT (a pre-release that sorts before 0.1.0-1);
# a release 0.1.0 becomes 0.1.0-1.
set -euo pipefail
basedir=$1 stage=$2 target=$3 version=$4 compression=${5:-xz}
case $compression in
  xz) payload=w6T0.xzdio ;;    # what EL and SUSE rpm have read for a decade; T0: all cores
  gzip) payload=w6.gzdio ;;
  *) echo "rpm.sh: compression must be xz or gzip, not $compression" >&2; exit 1 ;;
esac

command -v rpmbuild >/dev/null || {
  echo "rpm.sh: rpmbuild is missing; install Debian's rpm package (scripts/lib/deps.sh lists it)" >&2; exit 1; }
case $version in
  *-SNAPSHOT) rpm_version=${version%-SNAPSHOT} rpm_release=0.1.SNAPSHOT ;;
  *) rpm_version=$version rpm_release=1 ;;
esac
topdir=$target/rpmbuild
rm -rf "$topdir"
mkdir -p "$topdir"/{BUILD,BUILDROOT,RPMS,SOURCES,SPECS,SRPMS,tmp}
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$basedir" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH=$epoch
maintainer=${FULCRUM_MAINTAINER:-Fulcrum maintainers <fulcrum-maintainers@users.noreply.github.com>}
spec=$topdir/SPECS/fulcrum.spec
{ cat "$basedir/src/rpm/fulcrum.spec"
  echo "%changelog"
  echo "* $(LC_ALL=C date -u -d "@$epoch" '+%a %b %d %Y') $maintainer - $rpm_version-$rpm_release"
  echo "- Built from the Fulcrum source tree; its git history lists the changes."
} >"$spec"
rpmbuild -bb --quiet --target x86_64 \
  --define "_topdir $topdir" --define "_tmppath $topdir/tmp" \
  --define "fulcrum_stage $stage" --define "fulcrum_version $rpm_version" --define "fulcrum_release $rpm_release" \
  --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1" \
  --define "_binary_payload $payload" \
  --define "fulcrum_packager $maintainer" \
  "$spec"
rpm_file=fulcrum-$rpm_version-$rpm_release.x86_64.rpm
cp "$topdir/RPMS/x86_64/$rpm_file" "$target/$rpm_file"
echo "rpm.sh: $target/$rpm_file ($(du -h "$target/$rpm_file" | cut -f1))"
