#!/usr/bin/env bash
# Several replicas on one database (issue 16, README "Deploy"): starts three packaged service
# processes TOGETHER on an EMPTY database and checks, failing (exit 1) on the first broken promise:
#
#  1. migrations: Flyway migrates the empty database exactly once although all three start at
#     the same moment (it holds a database lock while migrating; the others wait, then find the
#     schema up to date), and every replica becomes ready;
#  2. provisioning spread over the replicas: users created round-robin through all three;
#  3. a password changed through replica 1 is refused by replicas 2 and 3 (whose caches had
#     verified the old one) within the invalidation poll interval; the new one is accepted;
#  4. concurrent forward additions through different replicas to one alias all land;
#  5. kill -9 of replica 3 in the middle of a provisioning load: replicas 1 and 2 keep answering
#     (every request to them succeeds), and no write is partial (every created user has its
#     primary address and both aliases, every forward its recipients and its address).
#
#   deploy/replicas-test.sh                 # builds the service if target/quarkus-app is missing
#   REBUILD=1 deploy/replicas-test.sh       # package first
#
# Needs: curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password), Java 17.
# Database: $REPLICAS_DB (default mailplane_replicas), DROPPED at start. Logs: deploy/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

DB="${REPLICAS_DB:-mailplane_replicas}"
BASE_PORT="${BASE_PORT:-18180}"
POLL="${POLL_SECONDS:-1}"
LOAD_USERS="${LOAD_USERS:-150}"
OUT=deploy/out
SQL="mysql -h 127.0.0.1 -u root -N $DB"
mkdir -p "$OUT"
rm -f "$OUT"/replica-*.log "$OUT"/load-*.txt

if [ -n "${REBUILD:-}" ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -o package -DskipTests -Dsdk.skip=true
fi

export DB_URL="jdbc:mysql://127.0.0.1:3306/$DB"
export MAILPLANE_MASTER_PASSWORD="replicas-master-secret"
export MAILPLANE_CRYPTO_KEY
MAILPLANE_CRYPTO_KEY="$(printf '%s' 'replicas-only-mailplane-crypto!!' | base64)"
export MAILPLANE_AUTH_INVALIDATION_POLL="${POLL}s"
export MAILPLANE_LOG_JSON=true
export MAILPLANE_BCRYPT_COST=6
# cheap mail-server hashes too (what is tested here is replicas, not hashing; README "Run" has the production ones)
export MAILPLANE_MAILSERVER_ARGON2_MEMORY_KIB=1024 MAILPLANE_MAILSERVER_ARGON2_PASSES=1

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
now_ms() { date +%s%3N; }

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap stop_all EXIT

port() { echo $((BASE_PORT + $1)); }
mgmt() { echo $((BASE_PORT + 100 + $1)); }
api() { echo "http://127.0.0.1:$(port "$1")"; }

mysql -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $DB"
echo "== 1. three replicas start together on the empty database $DB"
for i in 1 2 3; do
  QUARKUS_HTTP_PORT=$(port $i) QUARKUS_MANAGEMENT_PORT=$(mgmt $i) \
    java -Xmx384m -XX:TieredStopAtLevel=1 -jar target/quarkus-app/quarkus-run.jar >"$OUT/replica-$i.log" 2>&1 &
  pids+=($!)
done
for i in 1 2 3; do
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$(mgmt $i)/q/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fs "http://127.0.0.1:$(mgmt $i)/q/health/ready" >/dev/null || fail "replica $i not ready; see $OUT/replica-$i.log"
done
# Flyway holds a database lock (MySQL GET_LOCK) around each migration and re-reads the history
# after taking it: the replicas take turns, each migration runs exactly once, none fails.
expected=$(ls src/main/resources/db/migration/V*__*.sql | wc -l)
applied=0
for i in 1 2 3; do
  n=$( (grep -oE 'Successfully applied [0-9]+ migrations' "$OUT/replica-$i.log" || true) | awk '{s += $3} END {print s + 0}')
  mine=$( (grep -oE 'Migrating schema [^ ]+ to version "[^"]+"' "$OUT/replica-$i.log" || true) | sed -E 's/.*version "([0-9]+) .*/V\1/' | tr '\n' ' ')
  up=$(grep -c 'No migration necessary' "$OUT/replica-$i.log" || true)
  printf '   replica %s: applied %s migration(s) %s%s\n' "$i" "$n" "${mine:+($mine) }" "$([ "$up" -gt 0 ] && echo 'then found the schema up to date')"
  applied=$((applied + n))
done
dupes=$($SQL -e "SELECT COUNT(*) - COUNT(DISTINCT version) FROM flyway_schema_history WHERE version IS NOT NULL")
failed=$($SQL -e "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0")
versions=$($SQL -e "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success = 1")
[ "$applied" -eq "$expected" ] || fail "the replicas applied $applied migrations together; there are $expected"
[ "$dupes" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$versions" -eq "$expected" ] || fail "flyway_schema_history: $versions versions, $dupes duplicates, $failed failed"
ok "the $expected migrations ran exactly once in all (the replicas took turns under Flyway's lock); history: $versions versions, no duplicate, none failed; all three ready"

echo "== 2. provisioning spread over the replicas"
R_PW="reseller-secret-1"; CTX_PW="context-admin-1"; DOMAIN="replicas.example"
curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"rep\",\"password\":\"$R_PW\",\"displayName\":\"Replicas\",\"brand\":\"rep.brand\"}" "$(api 1)/oxaas/v1/admin/resellers" >/dev/null
CID=$(curl -fs -u "rep:$R_PW" -H 'Content-Type: application/json' -d "{\"name\":\"repctx\",\"adminPassword\":\"$CTX_PW\",\"maxUsers\":100000}" \
  "$(api 2)/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PW" -X PUT "$(api 3)/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null
create_user() { # $1 replica, $2 name; prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -u "oxadmin:$CTX_PW" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$2@$DOMAIN\",\"password\":\"pw-$2-secret\",\"displayName\":\"$2\",\"primaryEmail\":\"$2@$DOMAIN\",\"aliases\":[\"a.$2@$DOMAIN\",\"b.$2@$DOMAIN\"]}" \
    "$(api "$1")/oxaas/v1/admin/contexts/$CID/users" || true
}
for n in $(seq 1 30); do create_user $(( (n % 3) + 1 )) "spread$n"; done | sort | uniq -c | sed 's/^/   HTTP /'
spread=$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname LIKE 'spread%'")
[ "$spread" -eq 30 ] || fail "$spread of 30 users created"
for i in 1 2 3; do
  curl -fs -u "oxadmin:$CTX_PW" "$(api $i)/oxaas/v1/admin/contexts/$CID/users/3" >/dev/null || fail "replica $i does not read a user another created"
done
ok "30 users created through replicas 1, 2, 3 in turn; each replica reads them"

echo "== 3. a password changed on replica 1 is refused on replicas 2 and 3 within the poll interval (${POLL}s)"
USER="spread1@$DOMAIN"; OLD="pw-spread1-secret"; NEW="pw-spread1-changed"
UID_=$($SQL -e "SELECT user_id FROM users WHERE uidname = '$USER'")
status_as() { curl -s -o /dev/null -w '%{http_code}' -u "$USER:$2" "$(api "$1")/oxaas/v1/announcements"; }
for i in 2 3; do [ "$(status_as $i "$OLD")" = 200 ] || fail "replica $i refuses the old password before the change"; done
# now replicas 2 and 3 have the old password's verification cached
curl -fs -u "oxadmin:$CTX_PW" -X PUT -H 'Content-Type: application/json' -d "{\"password\":\"$NEW\"}" \
  "$(api 1)/oxaas/v1/admin/contexts/$CID/users/$UID_/password" >/dev/null
changed=$(now_ms)
[ "$(status_as 1 "$OLD")" = 401 ] || fail "replica 1 accepts the old password after its own change"
# replicas 2 and 3 are watched at the same time, each from the moment of the change
watch_old() { # $1 replica: ms until it refuses the old password (or "timeout")
  while [ "$(status_as "$1" "$OLD")" != 401 ]; do
    [ $(( $(now_ms) - changed )) -lt 10000 ] || { echo timeout; return; }
  done
  echo $(( $(now_ms) - changed ))
}
watchers=()
for i in 2 3; do watch_old "$i" >"$OUT/refused-$i.txt" & watchers+=($!); done
for p in "${watchers[@]}"; do wait "$p"; done
for i in 2 3; do
  took=$(cat "$OUT/refused-$i.txt")
  [ "$took" != timeout ] || fail "replica $i still accepts the old password after 10 s"
  [ "$(status_as $i "$NEW")" = 200 ] || fail "replica $i refuses the new password"
  echo "   replica $i refused the old password ${took} ms after the change"
  [ "$took" -le $(( POLL * 1000 + 500 )) ] || fail "replica $i took ${took} ms (poll interval ${POLL}s + 500 ms of request time)"
done
ok "old password refused everywhere within the poll interval; the new one accepted"

echo "== 4. concurrent forward additions through different replicas all land"
ALIAS="team@$DOMAIN"
seq 1 60 | xargs -P 12 -I{} sh -c "curl -s -o /dev/null -w '%{http_code}\n' -u 'oxadmin:$CTX_PW' -H 'Content-Type: application/json' \
  -d '{\"recipient\":\"r{}@partner.example\"}' http://127.0.0.1:\$(( $BASE_PORT + ({} % 3) + 1 ))/oxaas/v1/admin/forwards/$CID/$ALIAS" \
  | sort | uniq -c | sed 's/^/   HTTP /'
landed=$(curl -fs -u "oxadmin:$CTX_PW" "$(api 2)/oxaas/v1/admin/forwards/$CID/$ALIAS" | grep -o '@partner.example' | wc -l)
[ "$landed" -eq 60 ] || fail "$landed of 60 recipients on $ALIAS"
ok "60 recipients added at once (12 in parallel, through all three replicas): all 60 on the alias"

echo "== 5. kill -9 of replica 3 in the middle of a provisioning load"
load() { # $1 replica: users, each with 2 aliases, and forwards, each with 2 recipients, until LOAD_USERS
  local i=$1 n
  for n in $(seq "$i" 3 "$LOAD_USERS"); do
    echo "user $(create_user "$i" "load$n")"
    echo "forward $(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -u "oxadmin:$CTX_PW" -X PUT -H 'Content-Type: application/json' \
      -d "[\"x$n@partner.example\",\"y$n@partner.example\"]" "$(api "$i")/oxaas/v1/admin/forwards/$CID/fwd$n@$DOMAIN" || true)"
  done >"$OUT/load-$i.txt"
}
loaders=()
for i in 1 2 3; do load $i & loaders+=($!); done
while [ "$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname LIKE 'load%'")" -lt $(( LOAD_USERS / 3 )) ]; do sleep 0.2; done
kill -9 "${pids[2]}"
killed_at=$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname LIKE 'load%'")
echo "   replica 3 killed (kill -9) after $killed_at users of the load"
for p in "${loaders[@]}"; do wait "$p" || true; done
for i in 1 2 3; do
  printf '   replica %s answered: %s\n' "$i" "$(awk '{print $1"="$2}' "$OUT/load-$i.txt" | sort | uniq -c | awk '{printf "%s x%s  ", $2, $1}')"
done
for i in 1 2; do
  bad=$(awk '$2 != 201' "$OUT/load-$i.txt" | wc -l)
  [ "$bad" -eq 0 ] || fail "replica $i answered $bad load requests with other than 201 while replica 3 died"
done
for i in 1 2; do curl -fs "http://127.0.0.1:$(mgmt $i)/q/health/ready" >/dev/null || fail "replica $i not ready after the kill"; done
users=$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname LIKE 'load%'")
partial_users=$($SQL -e "SELECT COUNT(*) FROM users u WHERE u.uidname LIKE 'load%' AND (
    (SELECT COUNT(*) FROM user_aliases a WHERE a.user_pk = u.pk) <> 2
 OR (SELECT COUNT(*) FROM mail_addresses m WHERE m.user_pk = u.pk) <> 3)")
forwards=$($SQL -e "SELECT COUNT(*) FROM forwards WHERE alias LIKE 'fwd%'")
partial_forwards=$($SQL -e "SELECT COUNT(*) FROM forwards f WHERE f.alias LIKE 'fwd%' AND (
    (SELECT COUNT(*) FROM forward_recipients r WHERE r.forward_id = f.id) <> 2
 OR (SELECT COUNT(*) FROM mail_addresses m WHERE m.forward_id = f.id) <> 1)")
echo "   in the database: $users users ($partial_users without all 3 addresses), $forwards forwards ($partial_forwards without both recipients and the address)"
[ "$partial_users" -eq 0 ] && [ "$partial_forwards" -eq 0 ] || fail "partial writes after kill -9"
ok "replicas 1 and 2 answered every request (201) while replica 3 died; no partial user or forward"

echo "== logs: MAILPLANE_LOG_JSON=true writes one JSON object per line, with the request id"
# requests that log: wrong passwords for one account until its failed-login budget is spent (INFO)
codes=$(for n in $(seq 1 12); do curl -s -o /dev/null -w '%{http_code} ' -H "X-Request-Id: replicas-test-throttle-$n" \
  -u "spread3@$DOMAIN:wrong-password-$n" "$(api 1)/oxaas/v1/announcements"; done)
line=$(grep -F '"requestId":"replicas-test-throttle-' "$OUT/replica-1.log" | head -1 || true)
echo "   HTTP $codes"
echo "   replica 1 logged: ${line:0:400}"
[ -n "$line" ] || fail "no JSON log line with a request id replicas-test-throttle-*"
bad=$(grep '^{' "$OUT/replica-1.log" | while IFS= read -r l; do printf '%s' "$l" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null || echo bad; done | wc -l)
[ "$bad" -eq 0 ] || fail "$bad log lines of replica 1 are not JSON"
ok "every JSON log line parses; the request's line carries its X-Request-Id"
echo "ALL CHECKS PASSED"
