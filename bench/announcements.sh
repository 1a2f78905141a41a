#!/usr/bin/env bash
# Benchmark: GET /oxaas/v1/announcements (what a user sees now) for a user whose brand tree holds
# 1,000 announcements: targeting the user's brand or its parent, 50 of them active now, the rest
# over, ahead or disabled; plus 500 active ones of a sibling brand the user must not see. Created
# through the API as the OX client sends them (no Content-Type; curl's -H 'Content-Type:' drops its
# default), once per database (BENCH_DB; drop it to seed again). Prints
# requests/s and p50/p99, the number of announcements the user sees, and the plans of its queries.
#
#   bench/announcements.sh                   # 20 s after a 10 s warm-up, 2 connections
#   CONNECTIONS=8 DURATION=30 bench/announcements.sh
#
# Needs: wrk (apt-get install -y wrk), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-2}"
PORT="${PORT:-18086}"
DB="${BENCH_DB:-mailplane_announcements_bench}"
SQL="mysql -h 127.0.0.1 -u root -N $DB"
. bench/lib.sh
java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-announcements.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
wait_ready "$OUT/service-announcements.log"

PASSWORD="annbench-secret"
ADMIN="$BASE/oxaas/v1/admin"
reseller() { # $1 name, $2 parent login or empty
  local as="master:$MAILPLANE_MASTER_PASSWORD"
  if [ -n "$2" ]; then as="$2:$PASSWORD"; fi
  curl -fs -u "$as" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$PASSWORD\",\"displayName\":\"$1\",\"brand\":\"$1.brand\"}" "$ADMIN/resellers" >/dev/null
}
announce() { # $1 reseller, $2 name, $3 start, $4 end, $5 zone, $6 enabled, $7 target brand
  curl -fs -u "$1:$PASSWORD" -X POST -H 'Content-Type:' --data-binary \
    "{\"name\":\"$2\",\"msgJsonObject\":{\"en\":\"Notice $2\",\"de\":\"Hinweis $2\",\"link\":\"https://status.example/$2\"},\"startDatetime\":\"$3\",\"endDatetime\":\"$4\",\"timezone\":\"$5\",\"discardable\":true,\"enabled\":$6,\"brands\":[\"$7.brand\"]}" \
    "$ADMIN/announcements" >/dev/null
}

if [ "$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname = 'reader@annbench.example'" 2>/dev/null || echo 0)" = 0 ]; then
  echo "seeding 1,500 announcements through the API (once)..."
  start=$(date +%s)
  reseller annbench ""
  reseller annbench-sub annbench
  reseller annbench-sibling annbench
  CID=$(curl -fs -u "annbench-sub:$PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"annbenchctx\",\"adminPassword\":\"$PASSWORD\"}" "$ADMIN/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
  curl -fs -u "annbench-sub:$PASSWORD" -X PUT "$ADMIN/contexts/$CID/domains/annbench.example" >/dev/null
  curl -fs -u "oxadmin:$PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"reader@annbench.example\",\"password\":\"$PASSWORD\",\"displayName\":\"Reader\",\"primaryEmail\":\"reader@annbench.example\"}" \
    "$ADMIN/contexts/$CID/users" >/dev/null
  zones=(Europe/Berlin America/New_York Pacific/Auckland UTC)
  for i in $(seq 0 999); do
    zone=${zones[$((i % 4))]}
    owner=annbench; target=annbench
    if [ $((i % 2)) = 1 ]; then owner=annbench-sub; target=annbench-sub; fi
    case $((i % 20)) in
      0|1) announce $owner "a$i" 2000-01-01T00:00 2090-01-01T00:00 "$zone" true $target ;;   # active now
      2|3) announce $owner "a$i" 2000-01-01T00:00 2090-01-01T00:00 "$zone" false $target ;;  # disabled
      *) if [ $((i % 3)) = 0 ]; then announce $owner "a$i" 2089-01-01T00:00 2090-01-01T00:00 "$zone" true $target  # ahead
         else announce $owner "a$i" 2001-01-01T00:00 2002-01-01T00:00 "$zone" true $target; fi ;;               # over
    esac
  done
  for i in $(seq 0 499); do
    announce annbench-sibling "s$i" 2000-01-01T00:00 2090-01-01T00:00 UTC true annbench-sibling
  done
  $SQL -e "ANALYZE TABLE announcements, announcement_targets, announcement_dismissals" >/dev/null
  echo "seeded in $(( $(date +%s) - start )) s"
fi

echo "announcements in the tree: $($SQL -e "SELECT COUNT(*) FROM announcements a JOIN resellers r ON r.id = a.owner_id WHERE r.name LIKE 'annbench%'")"
AUTH="Basic $(printf '%s' "reader@annbench.example:$PASSWORD" | base64 -w0)"
seen=$(curl -fs -H "Authorization: $AUTH" "$BASE/oxaas/v1/announcements" | grep -o '"id":' | wc -l)
echo "announcements the user sees now: $seen (expected 100: 50 of the brand, 50 of its parent)"
LINEAGE=$($SQL -e "SELECT GROUP_CONCAT(id) FROM resellers WHERE name IN ('annbench', 'annbench-sub')")
USER_PK=$($SQL -e "SELECT pk FROM users WHERE uidname = 'reader@annbench.example'")
# The lineage's announcements that have not ended are cached (ActiveAnnouncements); each request
# reads only the database's clock and the user's dismissals, and filters the cached list.
echo "query plan of the cache's load (once per lineage and change):"
$SQL -t -e "EXPLAIN SELECT STRAIGHT_JOIN a.id FROM (SELECT DISTINCT t.announcement_id AS id FROM announcement_targets t
  WHERE t.reseller_id IN ($LINEAGE) AND t.enabled = TRUE AND t.end_at > UTC_TIMESTAMP()) hit
  JOIN announcements a ON a.id = hit.id ORDER BY a.start_at, a.id LIMIT 5001"
echo "query plan of each request's query (the clock and the user's dismissals):"
$SQL -t -e "EXPLAIN SELECT DATE_FORMAT(o.now, '%Y-%m-%d %H:%i:%s'), d.announcement_id
  FROM (SELECT UTC_TIMESTAMP() AS now) o LEFT JOIN announcement_dismissals d ON d.user_pk = $USER_PK"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-10}s" -H "Authorization: $AUTH" "$BASE/oxaas/v1/announcements" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $AUTH" "$BASE/oxaas/v1/announcements" >"$OUT/wrk-announcements.txt"
report "GET announcements ($CONNECTIONS conns)" "$OUT/wrk-announcements.txt"
# The same user on an endpoint that reads next to nothing: what authentication and HTTP cost here.
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $AUTH" "$BASE/api/2.0/mail/accounts" >"$OUT/wrk-announcements-baseline.txt"
report "baseline: GET mail/accounts" "$OUT/wrk-announcements-baseline.txt"
