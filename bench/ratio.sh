#!/usr/bin/env bash
# Benchmark: how near the warm authenticated read comes to the database's and the HTTP layer's own
# limits, measured side by side in one run with the same concurrency (32):
#   jdbc   the point select of the same user row that GET .../users/{uid} runs (bench/JdbcPoint.java:
#          the service's Connector/J jar and settings, one connection per thread, no HTTP)
#   floor  GET /q/health/live on the management port (HTTP, no database, no authentication)
#   401    the same GET .../users/{uid} without credentials on the API port (the API's filters and a
#          problem answer, no database): a second floor, for reference
#   get    authenticated GET /oxaas/v1/admin/contexts/{cid}/users/{uid}, warm (cached credentials)
# Prints requests/s, p50, p99 and max of each, the ratios get/jdbc and get/floor, the machine's load
# average and the service's resident memory (VmRSS) after the load. The packaged service runs on its
# own database (BENCH_DB, default mailplane_bench_ratio) with JAVA_OPTS (default -Xmx512m).
#
#   bench/ratio.sh              # 20 s per measured run (DURATION=, CONNECTIONS=); the GET is warmed up for
#                               # WARMUP=20 s and then until two 10 s rounds agree within 10% (WARMUP_MAX=240 s)
#   JFR=1 bench/ratio.sh        # then records another run of the GET with JFR and prints where its CPU went
#   bench/ratio.sh --expiry     # the GET for 3 minutes (EXPIRY_DURATION=180) with MAILPLANE_AUTH_CACHE_TTL=20S,
#                               # spanning 9 cache lifetimes: prints the maximum latency (target < 100 ms)
#
# Needs: wrk (apt-get install -y wrk), curl, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="ratio"
[ "${1:-}" = "--expiry" ] && MODE="expiry"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
EXPIRY_DURATION="${EXPIRY_DURATION:-180}"
PORT="${PORT:-18086}"
DB="${BENCH_DB:-mailplane_bench_ratio}"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
APP="${APP:-target/quarkus-app}" # another build of the service, e.g. a copy of an earlier one
. bench/lib.sh
[ "$MODE" = expiry ] && export MAILPLANE_AUTH_CACHE_TTL="${MAILPLANE_AUTH_CACHE_TTL:-20S}"

pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; pid=""; }
trap stop EXIT

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$APP/quarkus-run.jar" >"$OUT/service-ratio.log" 2>&1 &
pid=$!
wait_ready "$OUT/service-ratio.log"

suffix="$(date +%s)$$"
R_PASSWORD="bench-reseller-$suffix"
CTX_PASSWORD="bench-context-$suffix"
curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"ratio$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Bench\",\"brand\":\"ratio$suffix.brand\"}" \
  "$BASE/oxaas/v1/admin/resellers" >/dev/null
CID=$(curl -fs -u "ratio$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"ratioctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
  "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/ratio$suffix.example" >/dev/null
UID_=$(curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"ratio$suffix@ratio$suffix.example\",\"password\":\"bench-user-$suffix\",\"displayName\":\"Bench User\",\"primaryEmail\":\"ratio$suffix@ratio$suffix.example\",\"aliases\":[\"alias$suffix@ratio$suffix.example\"]}" \
  "$BASE/oxaas/v1/admin/contexts/$CID/users" | sed -E 's/.*"id":([0-9]+).*/\1/')
URL="$BASE/oxaas/v1/admin/contexts/$CID/users/$UID_"
AUTH="Authorization: Basic $(printf '%s' "oxadmin:$CTX_PASSWORD" | base64 -w0)"
curl -fs -H "$AUTH" "$URL" >/dev/null

max_of() { awk '$1=="max" {print $2; exit} $1=="Latency" && NF>=5 {print $4; exit}' "$1"; } # JdbcPoint's, or wrk's "Thread Stats" max
field() { awk -v k="$2" '$1==k {print $2; exit}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
metric() { curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | awk -v k="$1" 'index($0, k" ")==1 {print $2}'; }
row() { # $1 label, $2 output file
  printf '%-44s %10s %10s %10s %10s  non-2xx=%s\n' "$1" "$(rps "$2")" "$(field "$2" 50%)" "$(field "$2" 99%)" \
    "$(max_of "$2")" "$(awk '/Non-2xx/ {print $5}' "$2")"
}

if [ "$MODE" = expiry ]; then
  echo "GET $URL, $CONNECTIONS connections for ${EXPIRY_DURATION}s, credential cache TTL $MAILPLANE_AUTH_CACHE_TTL (cores: $(nproc); $(uptime | sed 's/.*load/load/'))"
  misses0=$(metric 'mailplane_auth_cache_total{result="miss"}')
  refreshes0=$(metric 'mailplane_auth_cache_refreshes_total' || true)
  wrk -t2 -c"$CONNECTIONS" -d"${EXPIRY_DURATION}s" --latency -H "$AUTH" "$URL" >"$OUT/wrk-ratio-expiry.txt"
  printf '%-44s %10s %10s %10s %10s\n' "" "req/s" "p50" "p99" "max"
  row "get across cache expiries" "$OUT/wrk-ratio-expiry.txt"
  echo "password checks (cache misses) during the run: $(awk -v a="$(metric 'mailplane_auth_cache_total{result="miss"}')" -v b="$misses0" 'BEGIN {print a - b}')"
  echo "refreshes ahead of expiry during the run: $(awk -v a="$(metric 'mailplane_auth_cache_refreshes_total' || true)" -v b="${refreshes0:-0}" 'BEGIN {print a - b}')"
  echo "maximum latency: $(max_of "$OUT/wrk-ratio-expiry.txt") (target < 100ms); load average now: $(uptime | sed 's/.*average: //')"
  echo "service RSS: $(rss_mb) MB (JAVA_OPTS: $JAVA_OPTS)"
  exit 0
fi

echo "user $UID_ of context $CID; $CONNECTIONS connections/threads; ${WARMUP}s warm-up, ${DURATION}s measured each (cores: $(nproc))"
echo "load average before: $(uptime | sed 's/.*average: //')"

# 1. the database's ceiling
java -cp "$(ls "$APP"/lib/main/com.mysql.mysql-connector-j-*.jar)" bench/JdbcPoint.java \
  "$DB_URL" "$CID" "$UID_" "$CONNECTIONS" "$DURATION" 5 >"$OUT/ratio-jdbc.txt"

# 2. the HTTP floor (management port) and the API's 401
wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live" >"$OUT/wrk-ratio-floor.txt"
wrk -t2 -c"$CONNECTIONS" -d5s "$URL" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" >"$OUT/wrk-ratio-401.txt"

# 3. the authenticated GET, warm: at least WARMUP seconds, then 10 s rounds until a round is within 10% of
# the one before (on a loaded machine the JIT needs minutes), at most WARMUP_MAX seconds in all
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "$AUTH" "$URL" >/dev/null
warmed=$WARMUP
last=0
while [ "$warmed" -lt "${WARMUP_MAX:-240}" ]; do
  now=$(wrk -t2 -c"$CONNECTIONS" -d10s -H "$AUTH" "$URL" | awk '/Requests\/sec/ {print $2}')
  warmed=$((warmed + 10))
  awk -v a="$last" -v b="$now" 'BEGIN { exit !(a > 0 && b < a * 1.1 && b > a * 0.9) }' && break
  last=$now
done
echo "warm-up of the GET: ${warmed}s (last rounds: $last, $now requests/s)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$AUTH" "$URL" >"$OUT/wrk-ratio-get.txt"
rss=$(rss_mb)
load_after=$(uptime | sed 's/.*average: //')
if [ -n "${JFR:-}" ]; then
  # After the measured run, never during it: starting a recording instruments the JDK's socket classes,
  # which throws away compiled code, and the figures of the next minutes are the JIT's, not the service's.
  jcmd "$pid" JFR.start name=ratio settings=profile filename="$PWD/$OUT/ratio-get.jfr" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "$AUTH" "$URL" >/dev/null
  jcmd "$pid" JFR.stop name=ratio >/dev/null
fi

echo
printf '%-44s %10s %10s %10s %10s\n' "" "req/s" "p50" "p99" "max"
row "jdbc point select (JdbcPoint, no HTTP)" "$OUT/ratio-jdbc.txt"
row "floor GET /q/health/live (management port)" "$OUT/wrk-ratio-floor.txt"
row "GET .../users/{uid} without credentials (401)" "$OUT/wrk-ratio-401.txt"
row "GET .../users/{uid} authenticated, warm" "$OUT/wrk-ratio-get.txt"
awk -v get="$(rps "$OUT/wrk-ratio-get.txt")" -v jdbc="$(rps "$OUT/ratio-jdbc.txt")" -v floor="$(rps "$OUT/wrk-ratio-floor.txt")" \
  'BEGIN { printf "ratios: get/jdbc = %.1f%% (target >= 35%%), get/floor = %.1f%%\n", 100 * get / jdbc, 100 * get / floor }'
echo "service RSS after the load: $rss MB (JAVA_OPTS: $JAVA_OPTS); load average after: $load_after"
if [ -n "${JFR:-}" ]; then
  echo
  java bench/JfrTop.java "$OUT/ratio-get.jfr" 15
fi
