#!/usr/bin/env bash
# Benchmark: drain rate of the notification outbox into a local SMTP relay (GreenMail standalone
# on 127.0.0.1:$SMTP_PORT). N mails (default 5,000) are written straight into the outbox, not due
# yet; one UPDATE makes them all due at once (t0, the database's clock) and the service's worker
# sends them. Prints mails/s = N / (last sent_at - t0), and checks that the relay got each once.
#
#   bench/outbox.sh            N=20000 BATCH=100 bench/outbox.sh
#
# Needs: curl, the mysql client, a MariaDB/MySQL on 127.0.0.1:3306 (the service is built if needed).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${N:-5000}"
BATCH="${BATCH:-50}"
PORT="${PORT:-18090}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1000))}"
SMTP_PORT="${SMTP_PORT:-3925}"
DB="${BENCH_DB:-mailplane_outbox_bench}"
OUT="bench/out"
GREENMAIL_VERSION=2.1.5
mkdir -p "$OUT"
GM_JAR="$HOME/.m2/repository/com/icegreen/greenmail-standalone/$GREENMAIL_VERSION/greenmail-standalone-$GREENMAIL_VERSION.jar"
[ -f "$GM_JAR" ] || ./mvnw -B -q dependency:get -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

java -Xmx1g -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.auth.disabled \
  -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$((SMTP_PORT + 1))" \
  -jar "$GM_JAR" >"$OUT/greenmail-outbox.log" 2>&1 &
gm=$!

export DB_URL="jdbc:mysql://127.0.0.1:3306/$DB"
export MAILPLANE_MASTER_PASSWORD="bench-master-secret"
export MAILPLANE_CRYPTO_KEY="${MAILPLANE_CRYPTO_KEY:-$(printf '%s' 'bench-only-mailplane-crypto-key!' | base64)}"
export QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT"
export MAILPLANE_SMTP_HOST=127.0.0.1 MAILPLANE_SMTP_PORT="$SMTP_PORT" MAILPLANE_SMTP_FROM="Bench <noreply@bench.example>"
export MAILPLANE_OUTBOX_BATCH_SIZE="$BATCH"
java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-outbox.log" 2>&1 &
pid=$!
trap 'kill $pid $gm 2>/dev/null || true; wait $pid $gm 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null || { echo "service did not start; see $OUT/service-outbox.log" >&2; exit 1; }

sql() { mysql -h 127.0.0.1 -u root -N "$DB" -e "$1"; }
suffix="$(date +%s)$$"
DOMAIN="o$suffix.bench.example"
# N mails, due only in a day: the worker leaves them alone until t0
sql "INSERT INTO notification_outbox (kind, recipient, subject, text_body, next_attempt_at)
     SELECT 'welcome', CONCAT('u', n, '@$DOMAIN'), CONCAT('Welcome ', n), CONCAT('Hello ', n, ', welcome aboard.'),
            CURRENT_TIMESTAMP(3) + INTERVAL 1 DAY
     FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n
           FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a,
                (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b,
                (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c,
                (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e,
                (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) f) numbers
     WHERE n < $N"
t0=$(sql "SELECT CURRENT_TIMESTAMP(6); UPDATE notification_outbox SET next_attempt_at = CURRENT_TIMESTAMP(3)
          WHERE recipient LIKE '%@$DOMAIN' AND status = 'queued'" | head -1)
for _ in $(seq 1 600); do
  left=$(sql "SELECT COUNT(*) FROM notification_outbox WHERE recipient LIKE '%@$DOMAIN' AND status <> 'sent'")
  [ "$left" = 0 ] && break
  sleep 0.5
done
[ "$left" = 0 ] || { echo "$left mails not sent after 300 s; see $OUT/service-outbox.log" >&2; exit 1; }
seconds=$(sql "SELECT TIMESTAMPDIFF(MICROSECOND, '$t0', MAX(sent_at)) / 1e6 FROM notification_outbox WHERE recipient LIKE '%@$DOMAIN'")
attempts=$(sql "SELECT SUM(attempts) FROM notification_outbox WHERE recipient LIKE '%@$DOMAIN'")
printf 'outbox drain: %s mails in %.2f s = %.0f mails/s (batch %s; %s attempts: each mail sent once)\n' "$N" "$seconds" "$(echo "$N / $seconds" | bc -l)" "$BATCH" "$attempts"
grep -c "to the relay failed" "$OUT/service-outbox.log" | xargs printf 'failed attempts logged: %s\n' || true
