#!/usr/bin/env bash
# Benchmark: ONLYOFFICE external accounts against a real mail server (GreenMail standalone on
# the test ports 3143/3993 IMAP, 3025/3465 SMTP of 127.0.0.1).
#   1. POST /api/2.0/mail/accounts re-posting one address (an upsert: each request logs in to
#      IMAP and SMTP before it saves), plain and over SSL, 8 connections;
#   2. GET /api/2.0/mail/accounts of a user with 20 accounts, JSON and XML, 8 connections.
# Prints requests/s and p50/p99 for each.
#
#   bench/mailaccounts.sh
#
# Needs: wrk (apt-get install -y wrk), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
PORT="${PORT:-18083}"
DB="${BENCH_DB:-mailplane_mailaccounts_bench}"
GREENMAIL_VERSION=2.1.5
. bench/lib.sh
GM_JAR="$HOME/.m2/repository/com/icegreen/greenmail-standalone/$GREENMAIL_VERSION/greenmail-standalone-$GREENMAIL_VERSION.jar"
[ -f "$GM_JAR" ] || ./mvnw -B -q dependency:get -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION"

suffix="$(date +%s)$$"
MAILBOX="bench$suffix@mail.bench.example"
MAILBOX_PASSWORD="imap-$suffix"
java -Dgreenmail.setup.test.all -Dgreenmail.hostname=127.0.0.1 \
  -Dgreenmail.users="bench$suffix:$MAILBOX_PASSWORD@mail.bench.example" \
  -Dgreenmail.tls.keystore.file=src/test/resources/tls/server.p12 -Dgreenmail.tls.keystore.password=changeit \
  -jar "$GM_JAR" >"$OUT/greenmail.log" 2>&1 &
gm=$!

export MAILPLANE_MAILACCOUNTS_ALLOW_PRIVATE_NETWORKS=true
export MAILPLANE_MAILACCOUNTS_TRUSTSTORE=src/test/resources/tls/truststore.p12
export MAILPLANE_MAILACCOUNTS_TRUSTSTORE_PASSWORD=changeit
java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-mailaccounts.log" 2>&1 &
pid=$!
trap 'kill $pid $gm 2>/dev/null || true; wait $pid $gm 2>/dev/null || true' EXIT
wait_ready "$OUT/service-mailaccounts.log"

R_PASSWORD="ma-reseller-$suffix"
CTX_PASSWORD="ma-context-$suffix"
USER_PASSWORD="ma-user-$suffix"
DOMAIN="ma$suffix.bench"
curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"ma$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Mail accounts bench\",\"brand\":\"ma$suffix.brand\"}" \
  "$BASE/oxaas/v1/admin/resellers" >/dev/null
CID=$(curl -fs -u "ma$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"mactx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
  "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null
for u in poster reader; do
  curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$u@$DOMAIN\",\"password\":\"$USER_PASSWORD\",\"displayName\":\"$u\",\"primaryEmail\":\"$u@$DOMAIN\"}" \
    "$BASE/oxaas/v1/admin/contexts/$CID/users" >/dev/null
done
body() { # $1 imap port, $2 encryption, $3 smtp port
  # every field, as ONLYOFFICE clients send them (an upsert that merges nothing from the stored account)
  printf '{"name":"bench","email":"%s","account":"bench%s","password":"%s","server":"127.0.0.1","port":%s,"incoming_encryption_type":"%s","auth_type_in":"Login","imap":true,"restrict":true,"smtp_server":"127.0.0.1","smtp_port":%s,"outcoming_encryption_type":"%s","smtp_auth":true,"smtp_account":"bench%s","smtp_password":"%s","auth_type_smtp":"Login"}' \
    "$MAILBOX" "$suffix" "$MAILBOX_PASSWORD" "$1" "$2" "$3" "$2" "$suffix" "$MAILBOX_PASSWORD"
}
POSTER="Basic $(printf '%s' "poster@$DOMAIN:$USER_PASSWORD" | base64 -w0)"
READER="Basic $(printf '%s' "reader@$DOMAIN:$USER_PASSWORD" | base64 -w0)"
status=$(curl -s -o "$OUT/first-post.json" -w '%{http_code}' -H "Authorization: $POSTER" -H 'Content-Type: application/json' \
  -d "$(body 3143 None 3025)" "$BASE/api/2.0/mail/accounts")
[ "$status" = 201 ] || { echo "first POST answered $status: $(cat "$OUT/first-post.json")" >&2; exit 1; }

# 20 accounts for the reader, written straight to the database (the GET does not verify).
mysql -h 127.0.0.1 -u root -N "$DB" <<SQL
INSERT INTO mail_accounts (user_pk, email, email_domain, name, imap, in_server, in_port, in_login, in_encryption, in_auth,
  in_secret, smtp_server, smtp_port, smtp_login, smtp_encryption, smtp_auth, smtp_auth_type, smtp_secret)
SELECT u.pk, CONCAT('box', n.n, '@mail.bench.example'), 'mail.bench.example', CONCAT('Box ', n.n), TRUE, '127.0.0.1', 993,
  CONCAT('box', n.n), 1, 1, 'v1.00000000.AAAA', '127.0.0.1', 465, CONCAT('box', n.n), 1, TRUE, 1, 'v1.00000000.AAAA'
FROM users u, (SELECT 1 n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6
  UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10 UNION ALL SELECT 11 UNION ALL SELECT 12
  UNION ALL SELECT 13 UNION ALL SELECT 14 UNION ALL SELECT 15 UNION ALL SELECT 16 UNION ALL SELECT 17 UNION ALL SELECT 18
  UNION ALL SELECT 19 UNION ALL SELECT 20) n
WHERE u.uidname = 'reader@$DOMAIN';
SQL

post() { # $1 label, $2 body
  printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$2" >"$OUT/mailaccounts-post.lua"
  wrk -t1 -c"${POST_CONNECTIONS:-8}" -d"${WARMUP:-10}s" -s "$OUT/mailaccounts-post.lua" -H "Authorization: $POSTER" "$BASE/api/2.0/mail/accounts" >/dev/null
  wrk -t1 -c"${POST_CONNECTIONS:-8}" -d"${DURATION}s" --latency -s "$OUT/mailaccounts-post.lua" -H "Authorization: $POSTER" "$BASE/api/2.0/mail/accounts" >"$OUT/wrk-$1.txt"
  report "$1" "$OUT/wrk-$1.txt"
}
post "POST upsert, plain" "$(body 3143 None 3025)"
post "POST upsert, SSL" "$(body 3993 SSL 3465)"
for kind in json xml; do
  wrk -t2 -c8 -d"${WARMUP:-10}s" -H "Authorization: $READER" "$BASE/api/2.0/mail/accounts.$kind" >/dev/null
  wrk -t2 -c8 -d"${DURATION}s" --latency -H "Authorization: $READER" "$BASE/api/2.0/mail/accounts.$kind" >"$OUT/wrk-get-$kind.txt"
  report "GET 20 accounts, $kind" "$OUT/wrk-get-$kind.txt"
done
echo "accounts of the poster: $(mysql -h 127.0.0.1 -u root -N "$DB" -e "SELECT COUNT(*) FROM mail_accounts a JOIN users u ON u.pk = a.user_pk WHERE u.uidname = 'poster@$DOMAIN'")"
