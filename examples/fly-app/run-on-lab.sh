#!/usr/bin/env bash
# Runs examples/fly-app on the local lab, the way Fly runs it: a PostgreSQL primary and a replica
# whose WAL arrives 40 ms late, fly.toml's release_command (verbatim, /app mapped to a staging
# directory), then two instances: "ams" in the primary region and "syd" reading from the replica.
# Ctrl-C stops the instances and the lab.   Usage: examples/fly-app/run-on-lab.sh [base-port]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${1:-8080}"
work="$(mktemp -d "${TMPDIR:-/tmp}/fly-app.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$root/runway" lab down --clean --dir "$work/lab" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "fly-app: building the app and runway.jar (mvn package)..." >&2
(cd "$root" && mvn -q -B -DskipTests -pl examples/fly-app,runway-cli -am package) >&2
"$root/runway" lab up --dir "$work/lab" --replicas 1 --delay replica1=40 >&2
eval "$("$root/runway" lab env --dir "$work/lab")"     # DATABASE_URL, RUNWAY_REPLICA_URL

# The image's /app, as the Dockerfile lays it out.
mkdir -p "$work/app"
cp "$here/target/fly-app.jar" "$work/app/app.jar"
cp "$root/runway-cli/target/runway.jar" "$work/app/runway.jar"
cp -r "$here/migrations" "$work/app/migrations"
release="$(sed -n 's/^ *release_command *= *"\(.*\)"$/\1/p' "$here/fly.toml")"
echo "fly-app: release_command: $release" >&2
(cd "$work/app" && ${release//\/app\//$work/app/})

secret="$(head -c 32 /dev/urandom | base64)"
start() {  # region, port, extra env...
  local region="$1" p="$2"; shift 2
  env FLY_REGION="$region" PRIMARY_REGION=ams RUNWAY_TOKEN_SECRET="$secret" SERVER_PORT="$p" "$@" \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$work/app/app.jar" >"$work/$region.log" 2>&1 &
  pids+=($!)
}
replica="$RUNWAY_REPLICA_URL"
unset RUNWAY_REPLICA_URL
start ams "$port"
start syd "$((port + 1))" RUNWAY_REPLICA_URL="$replica"
for p in "$port" "$((port + 1))"; do
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$p/actuator/health" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$p/actuator/health" >/dev/null || { echo "fly-app: instance on port $p did not start; log:" >&2; tail -40 "$work"/*.log >&2; exit 1; }
done
cat <<EOT
fly-app is running (logs in $work):
  ams (primary region)   http://127.0.0.1:$port
  syd (replica, +40 ms)  http://127.0.0.1:$((port + 1))

  curl -c /tmp/fly-app.cookies -H 'Content-Type: application/json' -d '{"owner":"ada","text":"hello"}' http://127.0.0.1:$port/notes
  curl -b /tmp/fly-app.cookies http://127.0.0.1:$((port + 1))/notes?owner=ada     # syd sees it: the cookie carries the write's position
  curl http://127.0.0.1:$((port + 1))/actuator/health                              # primary, replica, replay lag
Ctrl-C stops everything.
EOT
wait
