#!/usr/bin/env bash
# Benchmark: shared accounts (issue 15, part 2): GET /api/2.0/sharedaccounts/delegated for a user
# who is a member of 50 groups and may use 500 shared accounts (450 through its groups, 50 also
# directly; each group has 20 other members, and 2,000 other delegations exist in the context),
# seeded with set-based SQL on first run. The user signs in with Basic auth (credential cache on).
# Target: p99 < 20 ms.
#
#   bench/shared.sh                        # 4 connections, 20 s after a 10 s warm-up
#   CONNECTIONS=8 DURATION=30s bench/shared.sh
#
# Needs: wrk (bench/lib.sh checks for it), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-4}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-10}"
PORT="${PORT:-18087}"
DB="${BENCH_DB:-mailplane_shared_bench}"
SQL="mysql -h 127.0.0.1 -u root -N $DB"
mysql -h 127.0.0.1 -u root -e "CREATE DATABASE IF NOT EXISTS $DB"
. bench/lib.sh
RESELLER=sharedbench
R_PASSWORD=sharedbench-secret
CONTEXT=sharedbenchctx
C_PASSWORD=sharedbench-admin
DOMAIN=shared.bench
USER_LOGIN="reader@$DOMAIN"
USER_PASSWORD=sharedbench-reader

java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-shared.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
wait_ready "$OUT/service-shared.log"

if [ "$($SQL -e "SELECT COUNT(*) FROM resellers WHERE name = '$RESELLER'")" = 0 ]; then
  curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$RESELLER\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Shared bench\",\"brand\":\"sharedbench.brand\"}" \
    "$BASE/oxaas/v1/admin/resellers" >/dev/null
fi
if [ "$($SQL -e "SELECT COUNT(*) FROM contexts WHERE name = '$CONTEXT'")" = 0 ]; then
  curl -fs -u "$RESELLER:$R_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$CONTEXT\",\"adminPassword\":\"$C_PASSWORD\"}" "$BASE/oxaas/v1/admin/contexts" >/dev/null
fi
CID=$($SQL -e "SELECT id FROM contexts WHERE name = '$CONTEXT'")
ADMIN="oxadmin@$CONTEXT:$C_PASSWORD"
if [ "$($SQL -e "SELECT COUNT(*) FROM users WHERE uidname = '$USER_LOGIN'")" = 0 ]; then
  curl -fs -u "$ADMIN" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null
  curl -fs -u "$ADMIN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$USER_LOGIN\",\"password\":\"$USER_PASSWORD\",\"displayName\":\"Reader\",\"primaryEmail\":\"$USER_LOGIN\"}" \
    "$BASE/oxaas/v1/admin/contexts/$CID/users" >/dev/null
fi
READER=$($SQL -e "SELECT pk FROM users WHERE uidname = '$USER_LOGIN'")

if [ "$($SQL -e "SELECT COUNT(*) FROM shared_accounts WHERE context_id = $CID")" != 500 ]; then
  echo "seeding 50 groups, 1,000 other users, 500 shared accounts and their delegations in context $CID (once)..."
  $SQL <<SQL
SET @hash = (SELECT password_hash FROM users WHERE pk = $READER);
DELETE FROM shared_accounts WHERE context_id = $CID;
DELETE FROM groups_ WHERE context_id = $CID;
DELETE FROM users WHERE context_id = $CID AND pk <> $READER;
CREATE TEMPORARY TABLE digits (d INT PRIMARY KEY);
INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
CREATE TEMPORARY TABLE n1000 (n INT PRIMARY KEY);
INSERT INTO n1000 SELECT a.d + 10*b.d + 100*c.d FROM digits a, digits b, digits c;
-- 1,000 other users (n 0-999) and 500 backing users of shared accounts (n 1000-1499), ids from 100
INSERT INTO users (context_id, user_id, uidname, primary_email, display_name, password_hash)
  SELECT $CID, 100 + n, CONCAT('other', n, '@$DOMAIN'), CONCAT('other', n, '@$DOMAIN'), CONCAT('Other ', n), @hash FROM n1000;
INSERT INTO users (context_id, user_id, uidname, primary_email, display_name, password_hash)
  SELECT $CID, 1100 + n, CONCAT('shared', n, '@$DOMAIN'), CONCAT('shared', n, '@$DOMAIN'), CONCAT('Shared ', n), '!bench'
  FROM n1000 WHERE n < 500;
INSERT INTO mail_addresses (address, context_id, kind, user_pk)
  SELECT primary_email, context_id, 'primary', pk FROM users WHERE context_id = $CID AND pk <> $READER;
INSERT INTO shared_accounts (context_id, user_pk, owner_pk, type)
  SELECT $CID, u.pk, (SELECT pk FROM users WHERE uidname = 'other0@$DOMAIN'), 'mailbox'
  FROM users u WHERE u.context_id = $CID AND u.uidname LIKE 'shared%';
-- 50 groups: the reader and 20 other users in each
INSERT INTO groups_ (context_id, group_id, name, display_name) SELECT $CID, 1 + n, CONCAT('team', n), CONCAT('Team ', n) FROM n1000 WHERE n < 50;
INSERT INTO group_members (group_pk, user_pk) SELECT g.pk, $READER FROM groups_ g WHERE g.context_id = $CID;
INSERT INTO group_members (group_pk, user_pk)
  SELECT g.pk, u.pk FROM groups_ g JOIN users u ON u.context_id = g.context_id AND u.uidname LIKE 'other%'
  WHERE g.context_id = $CID AND MOD(u.user_id - 100, 50) = g.group_id - 1 AND u.user_id < 1100;
-- the 500 accounts: each to one of the 50 groups (read), every tenth also to the reader (send_as),
-- and 2,000 delegations to other users
INSERT INTO shared_account_group_delegates (account_id, group_pk, permissions)
  SELECT s.id, g.pk, 1 FROM shared_accounts s JOIN users u ON u.pk = s.user_pk
  JOIN groups_ g ON g.context_id = s.context_id AND g.group_id = 1 + MOD(u.user_id - 1100, 50) WHERE s.context_id = $CID;
INSERT INTO shared_account_user_delegates (account_id, user_pk, permissions)
  SELECT s.id, $READER, 2 FROM shared_accounts s JOIN users u ON u.pk = s.user_pk WHERE s.context_id = $CID AND MOD(u.user_id, 10) = 0;
INSERT INTO shared_account_user_delegates (account_id, user_pk, permissions)
  SELECT s.id, o.pk, 3 FROM shared_accounts s JOIN users u ON u.pk = s.user_pk
  JOIN users o ON o.context_id = s.context_id AND o.uidname LIKE 'other%' AND MOD(o.user_id, 250) = MOD(u.user_id, 250)
  WHERE s.context_id = $CID;
ANALYZE TABLE users, groups_, group_members, shared_accounts, shared_account_user_delegates, shared_account_group_delegates;
SQL
fi

URL="$BASE/api/2.0/sharedaccounts/delegated"
count=$(curl -fs -u "$USER_LOGIN:$USER_PASSWORD" "$URL" | grep -o '"address"' | wc -l)
echo "the reader may use $count shared accounts; $($SQL -e "SELECT COUNT(*) FROM group_members gm JOIN groups_ g ON g.pk = gm.group_pk WHERE gm.user_pk = $READER") groups"
echo "query plan of the delegated list:"
$SQL -e "EXPLAIN SELECT x.account_id, BIT_OR(x.permissions) FROM (SELECT d.account_id, d.permissions FROM shared_account_user_delegates d WHERE d.user_pk = $READER AND (d.until IS NULL OR d.until > CURRENT_TIMESTAMP(3)) UNION ALL SELECT d.account_id, d.permissions FROM group_members gm JOIN shared_account_group_delegates d ON d.group_pk = gm.group_pk WHERE gm.user_pk = $READER AND (d.until IS NULL OR d.until > CURRENT_TIMESTAMP(3))) x GROUP BY x.account_id" | cut -c1-160

THREADS=$(( CONNECTIONS < 2 ? CONNECTIONS : 2 ))
AUTH="Basic $(printf '%s' "$USER_LOGIN:$USER_PASSWORD" | base64 -w0)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -H "Authorization: $AUTH" "$URL" >/dev/null
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: $AUTH" "$URL" >"$OUT/shared-delegated.txt"
report "GET delegated (500 accounts)" "$OUT/shared-delegated.txt"
