#!/usr/bin/env bash
# Benchmark: GET /oxaas/v1/admin/users?field=MSISDN|CUSTOM&search=... over 1,000,000 users in
# 1,000 contexts (seeded with bulk SQL on first run), each request searching a random user.
# Prints requests/s and p50/p99 latency per field, and the query plans (no table scans).
#
#   bench/search.sh                  # 20 s per field after a 20 s warm-up, 2 connections
#   CONNECTIONS=8 DURATION=30 bench/search.sh
#
# Needs: wrk (apt-get install -y wrk), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-2}"
PORT="${PORT:-18081}"
DB="${BENCH_DB:-mailplane_search_bench}"
USERS=1000000
CONTEXTS=1000
SQL="mysql -h 127.0.0.1 -u root -N $DB"
. bench/lib.sh
RESELLER=searchbench
R_PASSWORD=searchbench-secret

java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-search.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
wait_ready "$OUT/service-search.log"

if [ "$($SQL -e "SELECT COUNT(*) FROM resellers WHERE name = '$RESELLER'")" = 0 ]; then
  curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$RESELLER\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Search bench\",\"brand\":\"searchbench.brand\"}" \
    "$BASE/oxaas/v1/admin/resellers" >/dev/null
fi
RID=$($SQL -e "SELECT id FROM resellers WHERE name = '$RESELLER'")
HASH=$($SQL -e "SELECT password_hash FROM resellers WHERE id = $RID")

if [ "$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname LIKE 'sb%@search.bench'")" != "$USERS" ]; then
  echo "seeding $USERS users in $CONTEXTS contexts (once)..."
  start=$(date +%s)
  $SQL <<SQL
DELETE FROM contexts WHERE name LIKE 'sbctx%';
INSERT INTO contexts (id, name, reseller_id, admin_login, admin_password_hash)
  SELECT 900000000 + n, CONCAT('sbctx', n), $RID, 'oxadmin', '$HASH'
  FROM (SELECT a.d + 10 * b.d + 100 * c.d AS n
          FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a,
               (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b,
               (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c) t;
CREATE TEMPORARY TABLE digits (d INT PRIMARY KEY);
INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
INSERT INTO users (context_id, user_id, uidname, primary_email, display_name, password_hash,
                   msisdn, msisdn_digits, oxdeliverystatus)
  SELECT 900000000 + MOD(n, $CONTEXTS), 3 + FLOOR(n / $CONTEXTS),
         CONCAT('sb', n, '@search.bench'), CONCAT('sb', n, '@search.bench'), CONCAT('Search user ', n), '$HASH',
         CONCAT('+49.1', LPAD(n, 9, '0')), CONCAT('491', LPAD(n, 9, '0')),
         ELT(1 + MOD(n, 3), 'OXAAS', 'MIGRATING', 'LEGACY')
  FROM (SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d + 100000*g.d AS n
          FROM digits a, digits b, digits c, digits e, digits f, digits g) t;
INSERT INTO user_custom_ids (user_pk, custom_id)
  SELECT pk, CONCAT('cust-', SUBSTRING_INDEX(SUBSTRING(uidname, 3), '@', 1))
  FROM users WHERE context_id BETWEEN 900000000 AND 900000999;
ANALYZE TABLE users, user_custom_ids, contexts;
SQL
  echo "seeded in $(( $(date +%s) - start )) s"
fi

echo "query plans (MSISDN, CUSTOM):"
$SQL -t -e "EXPLAIN SELECT u.pk FROM (SELECT pk FROM users WHERE msisdn_digits = '491000123456') hit JOIN users u ON u.pk = hit.pk JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN ($RID) ORDER BY u.pk LIMIT 100"
$SQL -t -e "EXPLAIN SELECT u.pk FROM (SELECT user_pk AS pk FROM user_custom_ids WHERE custom_id = 'cust-123456') hit JOIN users u ON u.pk = hit.pk JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN ($RID) ORDER BY u.pk LIMIT 100"

cat >"$OUT/search.lua" <<'LUA'
math.randomseed(os.time())
local field = os.getenv("FIELD")
request = function()
  local n = math.random(0, 999999)
  local term
  if field == "MSISDN" then term = string.format("%%2B49.1%09d", n) else term = string.format("cust-%d", n) end
  return wrk.format("GET", "/oxaas/v1/admin/users?field=" .. field .. "&search=" .. term)
end
LUA

AUTH="Basic $(printf '%s' "$RESELLER:$R_PASSWORD" | base64 -w0)"
sample=$(curl -fs -H "Authorization: $AUTH" "$BASE/oxaas/v1/admin/users?field=MSISDN&search=%2B49.1000123456")
echo "sample answer: $sample"
for field in MSISDN CUSTOM; do
  FIELD=$field wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-20}s" -s "$OUT/search.lua" -H "Authorization: $AUTH" "$BASE" >/dev/null
  FIELD=$field wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/search.lua" -H "Authorization: $AUTH" "$BASE" >"$OUT/wrk-search-$field.txt"
  printf '%-8s requests/s=%-10s p50=%-10s p99=%-10s non-2xx=%s (%s connections, %s s)\n' "$field" \
    "$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-search-$field.txt")" \
    "$(awk '$1=="50%" {print $2}' "$OUT/wrk-search-$field.txt")" \
    "$(awk '$1=="99%" {print $2}' "$OUT/wrk-search-$field.txt")" \
    "$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-search-$field.txt")" "$CONNECTIONS" "$DURATION"
done
