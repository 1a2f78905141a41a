#!/usr/bin/env bash
# Benchmark: GET /oxaas/v1/admin/forwards/{ctx} with 10,000 aliases x 3 recipients in one
# context (seeded with bulk SQL), then POST-add throughput with 32 connections on distinct
# aliases: adding a recipient to existing aliases, and creating new aliases. Prints
# requests/s and p50/p99 for each.
#
#   bench/forwards.sh
#   GET_ONLY=1 JAR=/path/to/other/quarkus-run.jar bench/forwards.sh   # only the listing, of another build
#
# Needs: wrk (apt-get install -y wrk), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
PORT="${PORT:-18082}"
DB="${BENCH_DB:-mailplane_forwards_bench}"
SQL="mysql -h 127.0.0.1 -u root -N $DB"
. bench/lib.sh
java -Xmx1g -jar "${JAR:-target/quarkus-app/quarkus-run.jar}" >"$OUT/service-forwards.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
wait_ready "$OUT/service-forwards.log"

suffix="$(date +%s)$$"
R_PASSWORD="fwd-reseller-$suffix"
CTX_PASSWORD="fwd-context-$suffix"
DOMAIN="fwd$suffix.bench"
curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"fwd$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Forwards bench\",\"brand\":\"fwd$suffix.brand\"}" \
  "$BASE/oxaas/v1/admin/resellers" >/dev/null
CID=$(curl -fs -u "fwd$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"fwdctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
  "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null

echo "seeding 10,000 aliases x 3 recipients in context $CID..."
$SQL <<SQL
CREATE TEMPORARY TABLE digits (d INT PRIMARY KEY);
INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
INSERT INTO forwards (context_id, alias)
  SELECT $CID, CONCAT('alias', a.d + 10*b.d + 100*c.d + 1000*e.d, '@$DOMAIN') FROM digits a, digits b, digits c, digits e;
INSERT INTO forward_recipients (forward_id, recipient)
  SELECT f.id, CONCAT('r', k.d, '.', SUBSTRING_INDEX(f.alias, '@', 1), '@partner.example')
  FROM forwards f, (SELECT 1 d UNION ALL SELECT 2 UNION ALL SELECT 3) k WHERE f.context_id = $CID;
SQL

AUTH="Basic $(printf '%s' "oxadmin:$CTX_PASSWORD" | base64 -w0)"
echo "aliases listed: $(curl -fs -H "Authorization: $AUTH" "$BASE/oxaas/v1/admin/forwards/$CID" | grep -o '"alias[0-9]*@' | wc -l)"


wrk -t2 -c2 -d"${WARMUP:-10}s" -H "Authorization: $AUTH" "$BASE/oxaas/v1/admin/forwards/$CID" >/dev/null
wrk -t2 -c2 -d"${DURATION}s" --latency -H "Authorization: $AUTH" "$BASE/oxaas/v1/admin/forwards/$CID" >"$OUT/wrk-forwards-get.txt"
report "GET all (2 conns)" "$OUT/wrk-forwards-get.txt"
[ -z "${GET_ONLY:-}" ] || exit 0

cat >"$OUT/forwards-post.lua" <<LUA
local counter = 0
local id = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) id = wrk.thread:get("id") end
request = function()
  counter = counter + 1
  local alias = string.format("p%d-%d-%d@$DOMAIN", id, counter, math.random(1, 1000000000))
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  return wrk.format("POST", "/oxaas/v1/admin/forwards/$CID/" .. alias, headers,
    '["someone' .. counter .. '@partner.example"]')
end
LUA
cat >"$OUT/forwards-add.lua" <<LUA
local counter = 0
local id = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) id = wrk.thread:get("id") end
request = function()
  counter = counter + 1
  local alias = string.format("alias%d@$DOMAIN", (id - 1) * 5000 + counter % 5000)
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  return wrk.format("POST", "/oxaas/v1/admin/forwards/$CID/" .. alias, headers,
    string.format('["extra%d-%d-%d@partner.example"]', id, counter, math.random(1, 1000000000)))
end
LUA
wrk -t2 -c32 -d"${DURATION}s" --latency -s "$OUT/forwards-add.lua" -H "Authorization: $AUTH" "$BASE" >"$OUT/wrk-forwards-add.txt"
report "POST add, existing" "$OUT/wrk-forwards-add.txt"
wrk -t2 -c32 -d"${DURATION}s" --latency -s "$OUT/forwards-post.lua" -H "Authorization: $AUTH" "$BASE" >"$OUT/wrk-forwards-post.txt"
report "POST add, new aliases" "$OUT/wrk-forwards-post.txt"
echo "aliases created by POST: $($SQL -e "SELECT COUNT(*) FROM forwards WHERE context_id = $CID AND alias LIKE 'p%'")"
