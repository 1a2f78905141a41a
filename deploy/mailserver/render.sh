#!/bin/sh
# Fills in the @NAME@ placeholders of the files next to this script from environment variables of
# the same name and writes them under OUT_DIR (default ./mailplane-mailserver):
#   OUT_DIR/postfix/  main.cf.fragment, mailplane-*.cf        → /etc/postfix/
#   OUT_DIR/dovecot/  dovecot-sql.conf.ext, dovecot-dict-sql.conf.ext, conf.d/90-mailplane.conf → /etc/dovecot/
# Required: DB_HOST DB_NAME DB_USER DB_PASSWORD POSTMASTER. The others have defaults (below).
# Example:
#   DB_HOST=db.internal DB_NAME=mailplane DB_USER=mailserver DB_PASSWORD=... \
#   POSTMASTER=postmaster@example.net deploy/mailserver/render.sh /tmp/mailplane-mailserver
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-./mailplane-mailserver}

: "${DB_HOST:?}" "${DB_NAME:?}" "${DB_USER:?}" "${DB_PASSWORD?}" "${POSTMASTER:?}"
export DB_PORT="${DB_PORT:-3306}"
export CONF_DIR="${CONF_DIR:-/etc/dovecot}"
export POSTFIX_DIR="${POSTFIX_DIR:-/etc/postfix}"
export LISTEN="${LISTEN:-*, ::}"
export IMAP_PORT="${IMAP_PORT:-143}"
export POP3_PORT="${POP3_PORT:-110}"
export LMTP_HOST="${LMTP_HOST:-127.0.0.1}"
export LMTP_PORT="${LMTP_PORT:-24}"
export MAIL_ROOT="${MAIL_ROOT:-/var/vmail}"
export MAIL_USER="${MAIL_USER:-vmail}"
export MAIL_GROUP="${MAIL_GROUP:-vmail}"
export MAIL_UID="${MAIL_UID:-$(id -u "$MAIL_USER")}"
export MAIL_GID="${MAIL_GID:-$(getent group "$MAIL_GROUP" | cut -d: -f3)}"
export MASTER_USERS_FILE="${MASTER_USERS_FILE:-$CONF_DIR/master-users}"
export DB_HOST DB_NAME DB_USER DB_PASSWORD POSTMASTER

render() { # template → target, literal replacement (values may hold any character)
  mkdir -p "$(dirname "$2")"
  awk 'BEGIN { n = split("DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD CONF_DIR POSTFIX_DIR LISTEN IMAP_PORT POP3_PORT LMTP_HOST LMTP_PORT MAIL_ROOT MAIL_USER MAIL_GROUP MAIL_UID MAIL_GID MASTER_USERS_FILE POSTMASTER", names, " ") }
       { line = $0
         for (i = 1; i <= n; i++) {
           key = "@" names[i] "@"; out = ""
           while ((p = index(line, key)) > 0) { out = out substr(line, 1, p - 1) ENVIRON[names[i]]; line = substr(line, p + length(key)) }
           line = out line
         }
         print line }' "$1" > "$2"
  if grep -q '@[A-Z_]*@' "$2"; then echo "render.sh: unfilled placeholder in $2" >&2; exit 1; fi
}

umask 077
for f in main.cf.fragment mailplane-domains.cf mailplane-mailboxes.cf mailplane-addresses.cf mailplane-aliases.cf; do
  render "$here/postfix/$f" "$out/postfix/$f"
done
for f in dovecot-sql.conf.ext dovecot-dict-sql.conf.ext conf.d/90-mailplane.conf; do
  render "$here/dovecot/$f" "$out/dovecot/$f"
done
echo "written to $out (mode 0600/0700: the map and SQL files hold the database password)"
