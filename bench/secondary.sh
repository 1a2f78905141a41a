#!/usr/bin/env bash
# Benchmark: OX secondary accounts (issue 15) in a context of 10,000 users (seeded with bulk SQL
# on first run): the time of a create with group 0 (one INSERT ... SELECT over the context's
# users, one transaction), of granting it again (every entry updated), and of the CSV list of
# the 10,000 entries (Accept: text/csv, streamed). Targets: create < 3 s, CSV < 1 s.
#
#   bench/secondary.sh                 # 5 rounds
#   ROUNDS=10 bench/secondary.sh
#
# Needs: wrk (bench/lib.sh checks for it), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-5}"
PORT="${PORT:-18086}"
DB="${BENCH_DB:-mailplane_secondary_bench}"
USERS=10000
SQL="mysql -h 127.0.0.1 -u root -N $DB"
mysql -h 127.0.0.1 -u root -e "CREATE DATABASE IF NOT EXISTS $DB"
. bench/lib.sh
RESELLER=secondarybench
R_PASSWORD=secondarybench-secret
CONTEXT=secbenchctx
C_PASSWORD=secondarybench-admin

java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-secondary.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
wait_ready "$OUT/service-secondary.log"

if [ "$($SQL -e "SELECT COUNT(*) FROM resellers WHERE name = '$RESELLER'")" = 0 ]; then
  curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$RESELLER\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Secondary bench\",\"brand\":\"secondarybench.brand\"}" \
    "$BASE/oxaas/v1/admin/resellers" >/dev/null
fi
if [ "$($SQL -e "SELECT COUNT(*) FROM contexts WHERE name = '$CONTEXT'")" = 0 ]; then
  curl -fs -u "$RESELLER:$R_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$CONTEXT\",\"adminPassword\":\"$C_PASSWORD\"}" "$BASE/oxaas/v1/admin/contexts" >/dev/null
fi
CID=$($SQL -e "SELECT id FROM contexts WHERE name = '$CONTEXT'")
HASH=$($SQL -e "SELECT password_hash FROM users LIMIT 1" || true)
HASH=${HASH:-$($SQL -e "SELECT admin_password_hash FROM contexts WHERE id = $CID")}

if [ "$($SQL -e "SELECT COUNT(*) FROM users WHERE context_id = $CID")" != "$USERS" ]; then
  echo "seeding $USERS users in context $CID (once)..."
  $SQL <<SQL
DELETE FROM users WHERE context_id = $CID;
CREATE TEMPORARY TABLE digits (d INT PRIMARY KEY);
INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
INSERT INTO users (context_id, user_id, uidname, primary_email, display_name, password_hash)
  SELECT $CID, 3 + n, CONCAT('sec', n, '@secondary.bench'), CONCAT('sec', n, '@secondary.bench'),
         CONCAT('Secondary user ', n), '$HASH'
  FROM (SELECT a.d + 10*b.d + 100*c.d + 1000*e.d AS n FROM digits a, digits b, digits c, digits e) t;
ANALYZE TABLE users;
SQL
fi
$SQL -e "DELETE FROM secondary_accounts WHERE context_id = $CID"

ADMIN="oxadmin@$CONTEXT:$C_PASSWORD"
URL="$BASE/oxaas/v1/admin/contexts/$CID/secondaryaccounts"
body() { # $1 address
  printf '{"primaryAddress":"%s","groups":[0],"login":"%s","password":"bench-secret","name":"Support","personal":"Support","replyTo":"%s","mailEndpoint":{"source":"none","server":"imap.example.com","port":143,"protocol":"imap","secure":false,"starttls":false},"transportEndpoint":{"source":"none","server":"smtp.example.com","port":25,"protocol":"smtp","secure":false,"starttls":false},"folders":{"drafts":"Drafts","sent":"Sent","spam":"Spam","trash":"Trash","archive":"Archive"}}' "$1" "$1" "$1"
}
timed() { # prints "<status> <seconds>"
  curl -s -o "$OUT/secondary-answer.txt" -w '%{http_code} %{time_total}\n' "$@"
}

# warm-up: one account granted and listed, then revoked
addr="warmup@secondary.bench"
timed -u "$ADMIN" -H 'Content-Type: application/json' -d "$(body $addr)" "$URL" >/dev/null
timed -u "$ADMIN" -H 'Accept: text/csv' "$URL?primaryAddress=$addr" >/dev/null
timed -u "$ADMIN" -X DELETE "$URL/$addr?groups=0" >/dev/null

for i in $(seq 1 "$ROUNDS"); do
  addr="support$i@secondary.bench"
  read -r s1 t1 < <(timed -u "$ADMIN" -H 'Content-Type: application/json' -d "$(body $addr)" "$URL")
  granted=$(sed -E 's/.*"granted":([0-9]+).*/\1/' "$OUT/secondary-answer.txt")
  read -r s2 t2 < <(timed -u "$ADMIN" -H 'Content-Type: application/json' -d "$(body $addr)" "$URL")
  read -r s3 t3 < <(timed -u "$ADMIN" -H 'Accept: text/csv' "$URL?primaryAddress=$addr")
  rows=$(( $(wc -l <"$OUT/secondary-answer.txt") - 1 ))
  read -r s4 t4 < <(timed -u "$ADMIN" -X DELETE "$URL/$addr?groups=0")
  printf 'round %d: create group 0 %s %.3f s (granted %s) | grant again %s %.3f s | CSV list %s %.3f s (%s rows) | revoke group 0 %s %.3f s\n' \
    "$i" "$s1" "$t1" "$granted" "$s2" "$t2" "$s3" "$t3" "$rows" "$s4" "$t4"
done
