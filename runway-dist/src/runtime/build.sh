#!/usr/bin/env bash
# build.sh BUNDLE_TAR_GZ TARGET_DIR VERSION [JDK_HOME]: the self-contained bundle,
# TARGET_DIR/runway-VERSION-linux-ARCH.tar.gz: the portable bundle plus runtime/, a Java runtime linked
# with jlink from a JDK 25 or newer (the modules Runway uses, nothing else), which bin/runway then prefers.
#
# The JDK: JDK_HOME (the Maven property runway.runtime.jdk), else RUNWAY_RUNTIME_JDK, else the newest JDK
# under /usr/lib/jvm whose release file says 25 or newer and that has bin/jlink. Without one, or with
# RUNWAY_RUNTIME=off, or off Linux, it says so in one line and builds nothing (the portable bundle is the
# release then); a JDK named explicitly that is not usable is an error.
set -euo pipefail

bundle="$1" target="$2" version="$3" named="${4:-}"

say() { echo "[runway-dist] $*"; }

if [ "${RUNWAY_RUNTIME:-on}" = "off" ]; then
  say "RUNWAY_RUNTIME=off: no self-contained bundle"
  exit 0
fi
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) arch=x64 ;;
  Linux/aarch64) arch=aarch64 ;;
  *) say "no self-contained bundle for $(uname -s) $(uname -m) (Linux x64 and aarch64 only)"; exit 0 ;;
esac

# major version of the JDK at $1 from its release file; 0 when unknown
major_of() {
  local line
  [ -f "$1/release" ] || { echo 0; return; }
  line="$(grep -m1 '^JAVA_VERSION=' "$1/release" || true)"
  line="${line#JAVA_VERSION=\"}"
  line="${line%%[!0-9]*}"
  echo "${line:-0}"
}

jdk="${named:-${RUNWAY_RUNTIME_JDK:-}}"
if [ -n "$jdk" ]; then
  if [ ! -x "$jdk/bin/jlink" ] || [ "$(major_of "$jdk")" -lt 25 ]; then
    echo "[runway-dist] error: $jdk is not a JDK 25 or newer with bin/jlink (runway.runtime.jdk / RUNWAY_RUNTIME_JDK)" >&2
    exit 1
  fi
else
  best=0
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] && [ ! -L "$d" ] && [ -x "$d/bin/jlink" ] || continue
    m="$(major_of "$d")"
    if [ "$m" -ge 25 ] && [ "$m" -gt "$best" ]; then
      best="$m" jdk="$d"
    fi
  done
  if [ -z "$jdk" ]; then
    say "no JDK 25 or newer with jlink under /usr/lib/jvm: no self-contained bundle (set runway.runtime.jdk or RUNWAY_RUNTIME_JDK)"
    exit 0
  fi
fi

# What Runway's jar needs (jdeps --print-module-deps), and jdk.zipfs, which it reaches only as a service
# (its example migrations are read from inside the jar). java.desktop is there for java.beans.
modules=java.base,java.desktop,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.unsupported,jdk.zipfs

stage="$target/runtime-bundle"
name="runway-$version"
out="$target/$name-linux-$arch.tar.gz"
rm -rf "$stage" "$out"
mkdir -p "$stage"
tar xzf "$bundle" -C "$stage"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$stage/$name/runtime" >/dev/null
# The archive for heaps above 32 GB (no compressed pointers): a Runway command never has one.
rm -f "$stage/$name/runtime/lib/server/classes_nocoops.jsa"
"$stage/$name/runtime/bin/java" -version >/dev/null 2>&1 || { echo "[runway-dist] error: the linked runtime does not start" >&2; exit 1; }
tar czf "$out" -C "$stage" "$name"
rm -rf "$stage"
say "self-contained bundle: $out (Java $(major_of "$jdk") from $jdk)"
