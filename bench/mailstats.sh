#!/usr/bin/env bash
# Benchmark: GET /oxaas/v1/mail/{userid@contextid}/all (OX mail statistics: LIST + STATUS of every
# folder, GETQUOTAROOT, EXAMINE INBOX, SEARCH YOUNGER and FETCH of the 5 newest, all in one IMAP
# session as the Dovecot master user) with the brand's tenant credentials, 8 connections (wrk,
# 2 threads), against the packaged service and a private local Dovecot, for a mailbox of 1,000
# messages in 10 folders. Prints requests/s, p50/p99 (target: p50 < 30 ms, p99 < 100 ms) and
# non-2xx; then, as a reference on the same machine, GET .../unread/inbox (one STATUS;
# REFERENCE=0 skips it). Logged-in IMAP sessions are reused (mailplane.imap.session-*;
# MAILPLANE_IMAP_SESSION_MAX_IDLE=0 logs in per request, as before); the session metrics and
# Dovecot's login count follow. Then mail delivery end to end: a mail sent over SMTP to a private local Postfix
# (which hands it to Dovecot over LMTP), timed from Postfix's 250 to the first GET .../unread/inbox
# that counts it (target: < 1 s); DELIVERIES times, median and slowest.
#
# Dovecot and Postfix run as instances of their own under bench/out/mailstack (configuration
# rendered from deploy/mailserver/, pointed at the bench database) on loopback ports; no
# system-wide service is touched. Everything is stopped at the end.
#
#   bench/mailstats.sh
#   DURATION=30 CONNECTIONS=16 DELIVERIES=50 bench/mailstats.sh
#   DOVECOT_TUNED=1 bench/mailstats.sh   # Dovecot's high-performance login mode (see below)
#
# Needs: root (Postfix's master starts as root), Debian's dovecot-imapd, dovecot-lmtpd,
# dovecot-mysql, postfix, postfix-mysql; wrk, curl, python3, a MariaDB/MySQL on
# 127.0.0.1:3306 (root, no password); the service is built if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-8}"
DELIVERIES="${DELIVERIES:-20}"
THREADS=$(( CONNECTIONS < 2 ? 1 : 2 ))
PORT="${PORT:-18096}"
IMAP_PORT="${IMAP_PORT:-14393}"
POP3_PORT="${POP3_PORT:-11096}"
LMTP_PORT="${LMTP_PORT:-24096}"
SMTP_PORT="${SMTP_PORT:-2596}"
DB="${BENCH_DB:-mailplane_mailstats_bench}"
. bench/lib.sh
for tool in dovecot doveadm postfix python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required (see the header of $0)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run as root: Postfix's master starts as root" >&2; exit 1; }

STACK="$PWD/$OUT/mailstack"
MASTER_PASSWORD="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pid=""
stop_all() {
  if [ -f "$STACK/postfix/main.cf" ]; then postfix -c "$STACK/postfix" stop >/dev/null 2>&1 || true; fi
  if [ -f "$STACK/dovecot/dovecot.conf" ]; then dovecot -c "$STACK/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
}
trap stop_all EXIT
stop_all
rm -rf "$STACK"
mkdir -p "$STACK/dovecot/conf.d" "$STACK/postfix/spool" "$STACK/postfix/data" "$STACK/mail"
chown mail:mail "$STACK/mail"
chown postfix "$STACK/postfix/data"

# ---- the service, pointed at the Dovecot about to start -------------------------------------
export MAILPLANE_IMAP_HOST=127.0.0.1 MAILPLANE_IMAP_PORT="$IMAP_PORT" MAILPLANE_IMAP_TLS=none \
  MAILPLANE_IMAP_MASTER_USER=mailplane MAILPLANE_IMAP_MASTER_PASSWORD="$MASTER_PASSWORD" \
  MAILPLANE_OUTBOX_ENABLED=false
java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$OUT/service-mailstats.log" 2>&1 &
pid=$!
wait_ready "$OUT/service-mailstats.log" # the schema (and the mailserver_v1_* views) exist from here on

# ---- Dovecot and Postfix, configured from deploy/mailserver -----------------------------------
declare -A V=(
  [DB_HOST]=127.0.0.1 [DB_PORT]=3306 [DB_NAME]="$DB" [DB_USER]=root [DB_PASSWORD]=""
  [CONF_DIR]="$STACK/dovecot" [POSTFIX_DIR]="$STACK/postfix" [LISTEN]=127.0.0.1
  [IMAP_PORT]="$IMAP_PORT" [POP3_PORT]="$POP3_PORT" [LMTP_HOST]=127.0.0.1 [LMTP_PORT]="$LMTP_PORT"
  [MAIL_ROOT]="$STACK/mail" [MAIL_USER]=mail [MAIL_GROUP]=mail [MAIL_UID]="$(id -u mail)" [MAIL_GID]="$(id -g mail)"
  [MASTER_USERS_FILE]="$STACK/dovecot/master-users" [POSTMASTER]=postmaster@bench.localhost [SMTP_PORT]="$SMTP_PORT")
render() { # template → target: every @NAME@ replaced literally
  local text; text="$(cat "$1")"
  for k in "${!V[@]}"; do text="${text//@$k@/${V[$k]}}"; done
  printf '%s\n' "$text" >"$2"
}
render deploy/mailserver/dovecot/dovecot-sql.conf.ext "$STACK/dovecot/dovecot-sql.conf.ext"
render deploy/mailserver/dovecot/dovecot-dict-sql.conf.ext "$STACK/dovecot/dovecot-dict-sql.conf.ext"
render deploy/mailserver/dovecot/conf.d/90-mailplane.conf "$STACK/dovecot/conf.d/90-mailplane.conf"
cat >"$STACK/dovecot/dovecot.conf" <<CONF
# bench/mailstats.sh: a private Dovecot instance
instance_name = mailstats-bench
base_dir = $STACK/dovecot/run
state_dir = $STACK/dovecot/state
log_path = $STACK/dovecot/dovecot.log
ssl = no
disable_plaintext_auth = no
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service pop3-login {
  chroot =
}
!include $STACK/dovecot/conf.d/90-mailplane.conf
CONF
if [ "${DOVECOT_TUNED:-0}" = 1 ]; then
  # Dovecot's "high-performance" login mode: long-lived login processes, and imap processes forked
  # ahead of need, so a login costs no process start (the setting README recommends under load)
  cat >>"$STACK/dovecot/dovecot.conf" <<CONF
service imap-login {
  service_count = 0
  process_min_avail = 2
}
service imap {
  process_min_avail = 8
}
CONF
fi
printf 'mailplane:%s\n' "$(doveadm -c "$STACK/dovecot/dovecot.conf" pw -s SHA512-CRYPT -p "$MASTER_PASSWORD")" >"$STACK/dovecot/master-users"
for map in domains mailboxes addresses aliases; do
  render "deploy/mailserver/postfix/mailplane-$map.cf" "$STACK/postfix/mailplane-$map.cf"
done
render deploy/mailserver/postfix/main.cf.fragment "$STACK/postfix/main.cf.fragment"
{ cat <<CONF
# bench/mailstats.sh: a private Postfix instance that sends nothing off this machine
compatibility_level = 3.6
queue_directory = $STACK/postfix/spool
data_directory = $STACK/postfix/data
maillog_file = $STACK/postfix/postfix.log
maillog_file_prefixes = $STACK
syslog_name = postfix-mailstats-bench
myhostname = bench.localhost
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtputf8_enable = no
alias_maps =
alias_database =
local_recipient_maps =
default_transport = error:5.7.1 the bench mail stack sends no mail off this machine
relay_transport = error:5.7.1 the bench mail stack sends no mail off this machine
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
CONF
  cat "$STACK/postfix/main.cf.fragment"; } >"$STACK/postfix/main.cf"
cat >"$STACK/postfix/master.cf" <<CONF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
dovecot -c "$STACK/dovecot/dovecot.conf"
postfix -c "$STACK/postfix" start >/dev/null 2>&1
for _ in $(seq 1 30); do
  python3 - "$IMAP_PORT" "$SMTP_PORT" <<'PY' 2>/dev/null && break
import socket, sys
for port in sys.argv[1:]:
    socket.create_connection(("127.0.0.1", int(port)), 1).recv(16)
PY
  sleep 1
done

# ---- a brand, its tenant credentials, a context and a user with a mailbox ------------------------
suffix="$(date +%s)$$"
R_PASSWORD="stats-reseller-$suffix"
CTX_PASSWORD="stats-context-$suffix"
T_LOGIN="tenant$suffix"
T_PASSWORD="stats-tenant-$suffix"
DOMAIN="stats$suffix.bench"
RID=$(curl -fs -u "master:$MAILPLANE_MASTER_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"stats$suffix\",\"password\":\"$R_PASSWORD\",\"displayName\":\"Stats bench\",\"brand\":\"stats$suffix.brand\"}" \
  "$BASE/oxaas/v1/admin/resellers" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "stats$suffix:$R_PASSWORD" -X PUT -H 'Content-Type: application/json' \
  -d "{\"login\":\"$T_LOGIN\",\"password\":\"$T_PASSWORD\"}" "$BASE/oxaas/v1/admin/resellers/$RID/tenant" >/dev/null
CID=$(curl -fs -u "stats$suffix:$R_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"statsctx$suffix\",\"adminPassword\":\"$CTX_PASSWORD\"}" \
  "$BASE/oxaas/v1/admin/contexts" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fs -u "oxadmin:$CTX_PASSWORD" -X PUT "$BASE/oxaas/v1/admin/contexts/$CID/domains/$DOMAIN" >/dev/null
ADDRESS="user$suffix@$DOMAIN"
UID_=$(curl -fs -u "oxadmin:$CTX_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\":\"$ADDRESS\",\"password\":\"stats-user-$suffix\",\"displayName\":\"Bench User\",\"primaryEmail\":\"$ADDRESS\",\"quotaMb\":2048}" \
  "$BASE/oxaas/v1/admin/contexts/$CID/users" | sed -E 's/.*"id":([0-9]+).*/\1/')

# ---- 1,000 messages in 10 folders (IMAP APPEND as the master user), a third of them read --------
python3 - "$IMAP_PORT" "$ADDRESS*mailplane" "$MASTER_PASSWORD" <<'PY'
import imaplib, sys, time
from email.message import EmailMessage
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
imap.login(sys.argv[2], sys.argv[3])
folders = ["INBOX"] + ["Folder%d" % i for i in range(1, 10)]
for f in folders[1:]:
    imap.create(f)
now = time.time()
for i in range(1000):
    m = EmailMessage()
    m["From"] = "Sender %d <sender%d@external.example.net>" % (i, i % 37)
    m["To"] = sys.argv[2].split("*")[0]
    m["Subject"] = "Bench message %d" % i
    m.set_content(("Line of a bench message %d.\n" % i) * 40)
    flags = "(\\Seen)" if i % 3 == 0 else None
    imap.append(folders[i % 10], flags, imaplib.Time2Internaldate(now - (1000 - i) * 60), m.as_bytes())
imap.logout()
PY

URL="$BASE/oxaas/v1/mail/$UID_@$CID/all"
AUTH="Basic $(printf '%s' "$T_LOGIN:$T_PASSWORD" | base64 -w0)"
# one request by hand: the statistics of the filled mailbox, or the script stops here
curl -fs -H "Authorization: $AUTH" "$URL" | tee "$OUT/mailstats-all.json" | grep -q '"total":100' \
  || { echo "GET $URL did not answer the mailbox's statistics; see $OUT/service-mailstats.log" >&2; cat "$OUT/mailstats-all.json" >&2; exit 1; }

echo "GET $URL with tenant credentials, $CONNECTIONS connections for ${DURATION}s: 1,000 messages in 10 folders (cores: $(nproc))"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: $AUTH" "$URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $AUTH" "$URL" >"$OUT/wrk-mailstats-all.txt"
report "mail stats all" "$OUT/wrk-mailstats-all.txt"
if [ "${REFERENCE:-1}" = 1 ]; then
  # the cheapest statistic (one STATUS; with MAILPLANE_IMAP_SESSION_MAX_IDLE=0 login, STATUS, logout: what
  # the IMAP login itself costs on this machine at this moment) with as many connections
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: $AUTH" \
    "$BASE/oxaas/v1/mail/$UID_@$CID/unread/inbox" >"$OUT/wrk-mailstats-unread-inbox.txt"
  report "reference: unread/inbox" "$OUT/wrk-mailstats-unread-inbox.txt"
fi
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
# pooled IMAP sessions (mailplane.imap.session-idle / session-max-idle): reused vs fresh logins
echo "IMAP sessions: $(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | grep -E '^mailplane_imap_sessions' | tr '\n' ' ')"
echo "Dovecot logins: $(grep -c 'Login: user=<' "$STACK/dovecot/dovecot.log" || true)"

# ---- delivery end to end: SMTP 250 → counted by GET .../unread/inbox ------------------------------
python3 - "$SMTP_PORT" "$ADDRESS" "$BASE/oxaas/v1/mail/$UID_@$CID/unread/inbox" "$AUTH" "$DELIVERIES" <<'PY'
import json, smtplib, statistics, sys, time, urllib.request
from email.message import EmailMessage
port, address, url, auth, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def unread():
    req = urllib.request.Request(url, headers={"Authorization": auth, "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)["newmessages"]
times = []
for i in range(n):
    before = unread()
    m = EmailMessage()
    m["From"] = "sender@external.example.net"
    m["To"] = address
    m["Subject"] = "delivery %d" % i
    m.set_content("tick %d\n" % i)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.send_message(m)  # returns once Postfix said 250
    accepted = time.monotonic()
    while unread() <= before:
        if time.monotonic() - accepted > 30:
            sys.exit("delivery %d not visible after 30 s" % i)
    times.append((time.monotonic() - accepted) * 1000)
times.sort()
print("delivery SMTP 250 -> visible in stats: %d mails, median=%.0fms p90=%.0fms slowest=%.0fms"
      % (n, statistics.median(times), times[int(0.9 * (n - 1))], times[-1]))
PY
