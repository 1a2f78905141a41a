#!/usr/bin/env bash
# Benchmark: resident memory of the packaged service under load, with the production JVM settings
# (README "Run", the container image and the Helm chart) and with the JVM's defaults. For each:
# starts the jar, provisions a reseller, a context and a user, drives the authenticated
# GET /oxaas/v1/admin/contexts/{cid}/users/{uid} with 32 connections (20 s warm-up, then 20 s
# measured) and samples the process's RSS (ps -o rss) twice a second during both; prints
# requests/s, p50/p99 and the peak and final RSS.
#
#   bench/footprint.sh
#   DURATION=60 CONNECTIONS=32 bench/footprint.sh
#   SETTINGS="production" bench/footprint.sh     # only one of: production defaults
#
# Needs: wrk (apt-get install -y wrk), curl, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18476}"
DB="${BENCH_DB:-mailplane_bench_footprint}"
SETTINGS="${SETTINGS:-production defaults}"
. bench/lib.sh

pid=""
sampler=""
stop() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; fi; sampler=""
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; pid=""
}
trap stop EXIT

opts_of() { case "$1" in production) echo "$PRODUCTION_JVM_OPTS" ;; defaults) echo "" ;; esac; }

echo "load before: $(uptime | sed 's/.*load average/load average/')"
for setting in $SETTINGS; do
  # shellcheck disable=SC2046
  java $(opts_of "$setting") -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-footprint-$setting.log" 2>&1 &
  pid=$!
  wait_ready "$OUT/service-footprint-$setting.log"
  suffix="$(date +%s)$$"
  R_PASSWORD="fp-reseller-$suffix"
  CTX_PASSWORD="fp-context-$suffix"
  curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"fp$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Footprint\",\"brand\":\"fp$suffix.brand\"}" \
    "$BASE/oxaas/v1/admin/resellers" >/dev/null
  CID=$(curl -fs -u "fp$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"fpctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
    "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
  curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/fp$suffix.example" >/dev/null
  UID_=$(curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"fp$suffix@fp$suffix.example\",\"password\":\"fp-user-$suffix\",\"displayName\":\"Footprint User\",\"primaryEmail\":\"fp$suffix@fp$suffix.example\"}" \
    "$BASE/oxaas/v1/admin/contexts/$CID/users" | sed -E 's/.*"id":([0-9]+).*/\1/')
  auth="Basic $(printf '%s' "oxadmin:$CTX_PASSWORD" | base64 -w0)"
  url="$BASE/oxaas/v1/admin/contexts/$CID/users/$UID_"
  rss_ready=$(ps -o rss= -p "$pid" | tr -d ' ')
  : >"$OUT/rss-$setting.txt"
  ( while kill -0 "$pid" 2>/dev/null; do ps -o rss= -p "$pid" >>"$OUT/rss-$setting.txt" || true; sleep 0.5; done ) &
  sampler=$!
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-20}s" -H "Authorization: $auth" "$url" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $auth" "$url" >"$OUT/wrk-footprint-$setting.txt"
  rss_end=$(ps -o rss= -p "$pid" | tr -d ' ')
  metaspace=$(jstat -gc "$pid" | awk 'NR == 2 {printf "%d", $10 / 1024}')
  codecache=$(jcmd "$pid" Compiler.codecache 2>/dev/null | grep -o 'used=[0-9]*Kb' | sed 's/used=//; s/Kb//' | awk '{s += $1} END {printf "%d", s / 1024}')
  heap=$(jstat -gc "$pid" | awk 'NR == 2 {printf "%d/%d", ($3 + $4 + $6 + $8) / 1024, ($1 + $2 + $5 + $7) / 1024}')
  peak=$(sort -n "$OUT/rss-$setting.txt" | tail -1 | tr -d ' ')
  report "$setting" "$OUT/wrk-footprint-$setting.txt"
  printf '%-28s RSS at ready=%s MiB  peak under load=%s MiB  after load=%s MiB\n' "" \
    "$((rss_ready / 1024))" "$((peak / 1024))" "$((rss_end / 1024))"
  printf '%-28s heap used/committed=%s MiB  metaspace used=%s MiB  code cache used=%s MiB\n' "" "$heap" "$metaspace" "$codecache"
  [ -z "$(opts_of "$setting")" ] || echo "                             JVM options: $(opts_of "$setting")"
  stop
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
