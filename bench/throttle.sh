#!/usr/bin/env bash
# Benchmark: failed-login throttling. The 32-connection authenticated GET
# /oxaas/v1/admin/contexts/{cid}/users/{uid} (cached credentials) runs alone, then while a second
# wrk sends ~200 wrong-password requests/s (bench/wrong-password.lua: a fixed schedule over 128
# connections, so slow answers do not lower the rate):
#   one    wrong passwords for the measured client's own login (brute force of one account)
#   spray  a new unknown login every request (password spraying)
# Runs without attack come before, between and after the attacked runs; each attacked run is
# compared with the mean of its two neighbours (JIT warm-up and a shared machine drift the figures).
# The attack starts ATTACK_LEAD seconds before each measured run and lasts through it, so the run
# sees the steady state: the spray spends the address's budget (100 failures by default, each a
# bcrypt) in the lead, and everything after that is refused with 429 before any hashing. Prints
# requests/s, p50/p99 and non-2xx of the measured GET, its ratio to the figure without attack,
# the attack's achieved rate and its answers by status.
#
#   bench/throttle.sh                # 20 s per run (DURATION=30 bench/throttle.sh for longer)
#   UNTHROTTLED=1 bench/throttle.sh  # also the same attacks against a service with throttling off
#
# The credential cache lives 30 minutes here (MAILPLANE_AUTH_CACHE_TTL), so the measured client
# stays cached for the whole run: attacker and client share 127.0.0.1, and once its entry expired
# the client would need a password check that the spent address budget refuses (by design).
#
# Needs: wrk (apt-get install -y wrk), curl, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-30}"
CONNECTIONS="${CONNECTIONS:-32}"
ATTACK_RATE="${ATTACK_RATE:-200}"
ATTACK_CONNECTIONS="${ATTACK_CONNECTIONS:-128}"
ATTACK_LEAD="${ATTACK_LEAD:-15}"
PORT="${PORT:-18084}"
DB="${BENCH_DB:-mailplane_throttle_bench}"
. bench/lib.sh
export MAILPLANE_AUTH_CACHE_TTL=30M

pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; pid=""; }
trap stop EXIT

start() { # $1 = throttling on/off
  MAILPLANE_AUTH_THROTTLE_ENABLED="$1" java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-throttle-$1.log" 2>&1 &
  pid=$!
  wait_ready "$OUT/service-throttle-$1.log"
}

setup() {
  local suffix r_password
  suffix="$(date +%s)$$"
  r_password="bench-reseller-$suffix"
  CTX_PASSWORD="bench-context-$suffix"
  curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"thr$suffix\",\"password\":\"$r_password\",\"displayName\":\"Bench\",\"brand\":\"thr$suffix.brand\"}" \
    "$BASE/oxaas/v1/admin/resellers" >/dev/null
  CID=$(curl -fs -u "thr$suffix:$r_password" -H 'Content-Type: application/json' \
    -d "{\"name\":\"thrctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
    "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
  curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/thr$suffix.example" >/dev/null
  UID_=$(curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
    -d "{\"name\":\"thr$suffix@thr$suffix.example\",\"password\":\"bench-user-$suffix\",\"displayName\":\"Bench User\",\"primaryEmail\":\"thr$suffix@thr$suffix.example\"}" \
    "$BASE/oxaas/v1/admin/contexts/$CID/users" | sed -E 's/.*"id":([0-9]+).*/\1/')
  URL="$BASE/oxaas/v1/admin/contexts/$CID/users/$UID_"
  AUTH="Basic $(printf '%s' "oxadmin:$CTX_PASSWORD" | base64 -w0)"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: $AUTH" "$URL" >/dev/null
}

measure() { # $1 label
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $AUTH" "$URL" >"$OUT/wrk-throttle-$1.txt"
  report "$1" "$OUT/wrk-throttle-$1.txt"
  awk '/Requests\/sec/ {print $2}' "$OUT/wrk-throttle-$1.txt" >"$OUT/rps-throttle-$1"
}

attacked() { # $1 label, $2 attack mode (one|spray)
  local login=""
  [ "$2" = one ] && login="oxadmin"
  ATTACK_LOGIN="$login" ATTACK_RATE="$ATTACK_RATE" \
    wrk -t1 -c"$ATTACK_CONNECTIONS" -d"$((ATTACK_LEAD + DURATION + 2))s" -s bench/wrong-password.lua "$URL" \
    >"$OUT/wrk-attack-$1.txt" 2>&1 &
  local attacker=$!
  sleep "$ATTACK_LEAD"
  measure "$1"
  wait "$attacker"
  printf '  attack: %s requests/s; %s\n' "$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-attack-$1.txt")" \
    "$(awk '/^attack answers/ {printf "%s%s %s", sep, $3, $4; sep=", "}' "$OUT/wrk-attack-$1.txt")"
}

ratio() { # $1 attacked label, $2 and $3 the labels of its neighbours without attack
  awk -v label="$1" -v under="$(cat "$OUT/rps-throttle-$1")" -v before="$(cat "$OUT/rps-throttle-$2")" \
    -v after="$(cat "$OUT/rps-throttle-$3")" \
    'BEGIN { base = (before + after) / 2; printf "%-28s %.2f of %.0f requests/s alone (mean of the runs around it)\n", label ":", under / base, base }'
}

run() { # $1 = throttling on/off
  start "$1"
  setup
  echo "throttling $1: GET /oxaas/v1/admin/contexts/$CID/users/$UID_, $CONNECTIONS connections, ${DURATION}s per run;" \
    "attack ~${ATTACK_RATE}/s over $ATTACK_CONNECTIONS connections (cores: $(nproc))"
  measure "$1-alone-1"
  attacked "$1-attack-one" one
  measure "$1-alone-2"
  attacked "$1-attack-spray" spray
  measure "$1-alone-3"
  ratio "$1-attack-one" "$1-alone-1" "$1-alone-2"
  ratio "$1-attack-spray" "$1-alone-2" "$1-alone-3"
  stop
}

run true
[ -n "${UNTHROTTLED:-}" ] && run false
exit 0
