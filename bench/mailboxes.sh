#!/usr/bin/env bash
# Benchmark: POST /oxaas/v1/admin/contexts/{cid}/mailboxes with new_user (a new user with a
# generated password per request: one bcrypt hash for the API and one Argon2id hash for the mail
# server each), 16 connections, against the packaged service on the local MariaDB; then the same
# with cheap hashes (bcrypt cost 4, Argon2id 1 MiB / 1 pass), and the hashes alone
# (bench/HashCost.java), to say how much of each request is the hashing. Prints requests/s and
# p50/p99 latency (wrk waits up to 30 s for an answer: at 16 connections a request queues behind
# about 16 hashings).
#
#   bench/mailboxes.sh                 # 20 s per run (DURATION=60 bench/mailboxes.sh for longer)
#   BENCH_DB=mailplane_x bench/mailboxes.sh
#
# Needs: wrk (apt-get install -y wrk), curl, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-18084}"
DB="${BENCH_DB:-mailplane_mailboxes_bench}"
. bench/lib.sh

pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; pid=""; }
trap stop EXIT

start() { # $1 = bcrypt cost, $2 = Argon2id memory (KiB), $3 = Argon2id passes
  MAILPLANE_BCRYPT_COST="$1" MAILPLANE_MAILSERVER_ARGON2_MEMORY_KIB="$2" MAILPLANE_MAILSERVER_ARGON2_PASSES="$3" \
    java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-mailboxes-cost$1.log" 2>&1 &
  pid=$!
  wait_ready "$OUT/service-mailboxes-cost$1.log"
}

tenant() { # a reseller and a context with a domain; sets CTX_AUTH, CID and DOMAIN
  local suffix="$(date +%s%N)$$"
  local r_password="mb-reseller-$suffix" ctx_password="mb-context-$suffix"
  DOMAIN="mb$suffix.bench"
  curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"mb$suffix\",\"password\":\"$r_password\",\"displayName\":\"Mailbox bench\",\"brand\":\"mb$suffix.brand\"}" \
    "$BASE/oxaas/v1/admin/resellers" >/dev/null
  CID=$(curl -fs -u "mb$suffix:$r_password" -H 'Content-Type: application/json' \
    -d "{\"name\":\"mbctx$suffix\",\"adminPassword\":\"$ctx_password\"}" \
    "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
  curl -fs -u "oxadmin:$ctx_password" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null
  CTX_AUTH="Basic $(printf '%s' "oxadmin:$ctx_password" | base64 -w0)"
}

run() { # $1 = label; a context of its own, a warm-up, then the measured run
  tenant
  MAILBOX_DOMAIN="$DOMAIN" MAILBOX_RUN="w$(date +%s%N)" \
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-10}s" --timeout 30s -s bench/new-mailbox.lua -H "Authorization: $CTX_AUTH" \
    "$BASE/oxaas/v1/admin/contexts/$CID/mailboxes" >/dev/null
  MAILBOX_DOMAIN="$DOMAIN" MAILBOX_RUN="m$(date +%s%N)" \
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s bench/new-mailbox.lua -H "Authorization: $CTX_AUTH" \
    "$BASE/oxaas/v1/admin/contexts/$CID/mailboxes" >"$OUT/wrk-mailboxes-$1.txt"
  report "$1" "$OUT/wrk-mailboxes-$1.txt"
  grep '^answers' "$OUT/wrk-mailboxes-$1.txt" | sed 's/^/    /'
}

echo "POST .../mailboxes with new_user (generated password), $CONNECTIONS connections for ${DURATION}s (cores: $(nproc))"
start 10 19456 2
run "default hashes"
stop
start 4 1024 1
run "cheap hashes"
stop
echo "the hashes alone (bench/HashCost.java, as the service computes them):"
java -cp 'target/quarkus-app/lib/main/*' bench/HashCost.java 10 19456 2 "${HASH_SECONDS:-10}" | sed 's/^/    /'
java -cp 'target/quarkus-app/lib/main/*' bench/HashCost.java 4 1024 1 "${HASH_SECONDS:-10}" | sed 's/^/    /'
