#!/usr/bin/env bash
# Benchmark: enqueue latency of POST /oxaas/v1/admin/notification/welcome/{userid@contextid} with
# the brand's tenant credentials (HTTP Basic), 16 connections (wrk, 2 threads), against the
# packaged service on a bench database. Each request finds the user, renders the built-in welcome
# template and writes one outbox row in the request's transaction; the answer (200 {"mail": ...})
# comes once the row is committed. Prints requests/s, p50/p99 and non-2xx, and the rows queued.
# Then, as a reference on the same (possibly shared) machine, GET of the same user by its context
# admin with as many connections (REFERENCE=0 skips it).
#
#   bench/notify.sh                   # RELAY=none: the outbox worker is off
#                                     # (MAILPLANE_OUTBOX_ENABLED=false): only the enqueue is measured
#   RELAY=greenmail bench/notify.sh   # the worker drains to a GreenMail standalone on
#                                     # 127.0.0.1:$SMTP_PORT while the enqueue is measured
#   DURATION=30 CONNECTIONS=32 bench/notify.sh
#
# Needs: wrk (apt-get install -y wrk), curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306
# (root, no password); the service is built if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-20}"
CONNECTIONS="${CONNECTIONS:-16}"
RELAY="${RELAY:-none}"
THREADS=$(( CONNECTIONS < 2 ? 1 : 2 ))
PORT="${PORT:-18094}"
SMTP_PORT="${SMTP_PORT:-3935}"
DB="${BENCH_DB:-mailplane_notify_bench}"
GREENMAIL_VERSION=2.1.5
. bench/lib.sh
sql() { mysql -h 127.0.0.1 -u root -N "$DB" -e "$1"; }

gm=""
pid=""
trap 'kill $pid $gm 2>/dev/null || true; wait $pid $gm 2>/dev/null || true' EXIT
case "$RELAY" in
  none)
    export MAILPLANE_OUTBOX_ENABLED=false ;;
  greenmail)
    GM_JAR="$HOME/.m2/repository/com/icegreen/greenmail-standalone/$GREENMAIL_VERSION/greenmail-standalone-$GREENMAIL_VERSION.jar"
    [ -f "$GM_JAR" ] || ./mvnw -B -q dependency:get -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION"
    java -Xmx1g -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.auth.disabled \
      -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$((SMTP_PORT + 1))" \
      -jar "$GM_JAR" >"$OUT/greenmail-notify.log" 2>&1 &
    gm=$!
    export MAILPLANE_OUTBOX_ENABLED=true MAILPLANE_SMTP_HOST=127.0.0.1 MAILPLANE_SMTP_PORT="$SMTP_PORT" \
      MAILPLANE_SMTP_FROM="Bench <noreply@bench.example>"
    # mails left queued by earlier runs without a relay would be drained during this one
    sql "DELETE FROM notification_outbox WHERE status IN ('queued', 'sending')" 2>/dev/null || true ;;
  *)
    echo "RELAY must be none or greenmail" >&2; exit 2 ;;
esac

java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-notify.log" 2>&1 &
pid=$!
wait_ready "$OUT/service-notify.log"

suffix="$(date +%s)$$"
R_PASSWORD="notify-reseller-$suffix"
CTX_PASSWORD="notify-context-$suffix"
T_LOGIN="tenant$suffix"
T_PASSWORD="notify-tenant-$suffix"
DOMAIN="notify$suffix.bench"
RID=$(curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"notify$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Notify bench\",\"brand\":\"notify$suffix.brand\"}" \
  "$BASE/oxaas/v1/admin/resellers" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "notify$suffix:$R_PASSWORD" -X PUT -H 'Content-Type: application/json' \
  -d "{\"login\":\"$T_LOGIN\",\"password\":\"$T_PASSWORD\"}" "$BASE/oxaas/v1/admin/resellers/$RID/tenant" >/dev/null
CID=$(curl -fs -u "notify$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"notifyctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
  "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null
UID_=$(curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"user$suffix@$DOMAIN\",\"password\":\"notify-user-$suffix\",\"displayName\":\"Bench User\",\"primaryEmail\":\"user$suffix@$DOMAIN\",\"quotaMb\":2048}" \
  "$BASE/oxaas/v1/admin/contexts/$CID/users" | sed -E 's/.*"id":([0-9]+).*/\1/')

URL="$BASE/oxaas/v1/admin/notification/welcome/$UID_@$CID"
AUTH="Basic $(printf '%s' "$T_LOGIN:$T_PASSWORD" | base64 -w0)"
# one request by hand: a 200 with the mail, or the script stops here
curl -fs -X POST -H "Authorization: $AUTH" "$URL" | grep -q '"mail":"Hello Bench User' \
  || { echo "POST $URL did not queue a welcome mail; see $OUT/service-notify.log" >&2; exit 1; }
cat >"$OUT/notify-post.lua" <<'LUA'
wrk.method = "POST"
LUA

echo "POST $URL with tenant credentials, $CONNECTIONS connections for ${DURATION}s, relay: $RELAY (cores: $(nproc))"
# warm-up (lets the JIT settle), then the measured run
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$OUT/notify-post.lua" -H "Authorization: $AUTH" "$URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/notify-post.lua" -H "Authorization: $AUTH" "$URL" \
  >"$OUT/wrk-notify-$RELAY.txt"
report "welcome enqueue ($RELAY)" "$OUT/wrk-notify-$RELAY.txt"
if [ "${REFERENCE:-1}" = 1 ]; then
  # the same user read by its context admin (cached credentials, one SELECT), same connections and
  # machine: what the machine gives a cheap authenticated request at this moment
  CTX_AUTH="Basic $(printf '%s' "oxadmin:$CTX_PASSWORD" | base64 -w0)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $CTX_AUTH" \
    "$BASE/oxaas/v1/admin/contexts/$CID/users/$UID_" >"$OUT/wrk-notify-reference.txt"
  report "reference: GET user" "$OUT/wrk-notify-reference.txt"
fi
queued=$(sql "SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'user$suffix@$DOMAIN'")
requests=$(awk '/requests in/ {print $1}' "$OUT/wrk-notify-$RELAY.txt")
printf 'outbox rows for the user: %s (1 by hand + warm-up + %s measured requests)\n' "$queued" "$requests"
if [ "$RELAY" = greenmail ]; then
  printf 'sent meanwhile: %s, still queued: %s\n' \
    "$(sql "SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'user$suffix@$DOMAIN' AND status = 'sent'")" \
    "$(sql "SELECT COUNT(*) FROM notification_outbox WHERE recipient = 'user$suffix@$DOMAIN' AND status <> 'sent'")"
fi
