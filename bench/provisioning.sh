#!/usr/bin/env bash
# Benchmark: authenticated GET /oxaas/v1/admin/contexts/{cid}/users/{uid} against the packaged
# service on the local MariaDB, with 32 concurrent connections, once with the credential cache
# on and once with it off. Prints requests/s and p50/p99 latency for both.
#
#   bench/provisioning.sh            # 20 s per run (DURATION=60 bench/provisioning.sh for longer)
#
# Needs: wrk (apt-get install -y wrk), curl, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18080}"
DB="${BENCH_DB:-mailplane_bench}"
. bench/lib.sh

pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; pid=""; }
trap stop EXIT

start() { # $1 = cache on/off
  MAILPLANE_AUTH_CACHE_ENABLED="$1" java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-cache-$1.log" 2>&1 &
  pid=$!
  wait_ready "$OUT/service-cache-$1.log"
}

run() { # $1 = label
  local auth
  auth="Basic $(printf '%s' "oxadmin:$CTX_PASSWORD" | base64 -w0)"
  # warm-up (lets the JIT settle), then the measured run
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-20}s" -H "Authorization: $auth" "$BASE/oxaas/v1/admin/contexts/$CID/users/$UID_" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $auth" \
      "$BASE/oxaas/v1/admin/contexts/$CID/users/$UID_" >"$OUT/wrk-$1.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk-$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-$1.txt")
  printf '%-10s requests/s=%-10s p50=%-10s p99=%-10s non-2xx=%s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "$rps" >"$OUT/rps-$1"
}

start true
suffix="$(date +%s)$$"
R_PASSWORD="bench-reseller-$suffix"
CTX_PASSWORD="bench-context-$suffix"
curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Bench\",\"brand\":\"bench$suffix.brand\"}" \
  "$BASE/oxaas/v1/admin/resellers" >/dev/null
CID=$(curl -fs -u "bench$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"benchctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
  "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/bench$suffix.example" >/dev/null
UID_=$(curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench$suffix@bench$suffix.example\",\"password\":\"bench-user-$suffix\",\"displayName\":\"Bench User\",\"primaryEmail\":\"bench$suffix@bench$suffix.example\"}" \
  "$BASE/oxaas/v1/admin/contexts/$CID/users" | sed -E 's/.*"id":([0-9]+).*/\1/')
echo "GET /oxaas/v1/admin/contexts/$CID/users/$UID_ with $CONNECTIONS connections for ${DURATION}s (cores: $(nproc))"
run cache-on
stop
start false
run cache-off
stop
awk -v on="$(cat "$OUT/rps-cache-on")" -v off="$(cat "$OUT/rps-cache-off")" \
  'BEGIN { printf "speed-up of the cached path: %.1fx\n", on / off }'
