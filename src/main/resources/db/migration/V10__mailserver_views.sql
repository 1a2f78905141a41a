-- The mail servers read Mailplane (issue 13, SPEC §12): a Dovecot-verifiable password hash per
-- mail user, the table Dovecot's last_login plugin writes, and the versioned views Postfix's
-- mysql: maps and Dovecot's SQL passdb/userdb read (configuration in deploy/mailserver/).
-- Written for both MySQL 8.0+ and MariaDB 10.11+.
--
-- CONTRACT. The views named mailserver_v1_* are an interface to software Mailplane does not
-- ship: their names, columns, column meanings and row sets stay as documented here in every
-- later migration. A change that would break a reader adds mailserver_v2_* next to them (and
-- v1 stays until the release notes retire it); adding a column to a v1 view is allowed. Every
-- address and domain is compared case-insensitively (the collation of the tables beneath).
--
-- mailserver_v1_domains         one row per hosted mail domain
--   domain       the domain (lowercase, IDNs as punycode)
--   kind         'context' (a context's own domain) or 'brand' (a brand's shared domain)
--   context_id   the owning context (kind 'context'), else NULL
--   reseller_id  the owning brand (kind 'brand'), else NULL
--
-- mailserver_v1_mailboxes       one row per mailbox (every user of every context)
--   username     the Dovecot user name: the user's primary address, lowercase; unique
--   password     the password hash with its Dovecot scheme prefix ({ARGON2ID}...), or NULL
--                while the user has none yet (set by Mailplane whenever the password is set,
--                and on the user's next API sign-in for users created before this migration);
--                NULL must never let anyone in
--   home         the mailbox's home directory relative to the mail root: '<context id>/<user
--                pk>', stable for the mailbox's whole life (a changed primary address keeps it)
--   quota_mb     the user's quota in MiB (quotaMb), NULL = unlimited
--   quota_bytes  quota_mb * 1048576, NULL = unlimited
--   context_id, user_id, uidname   who the mailbox belongs to in Mailplane
--
-- mailserver_v1_addresses       one row per address delivered to a mailbox
--   address      the address (the primary address and each alias of a user)
--   mailbox      mailserver_v1_mailboxes.username of the mailbox it is delivered to
--   kind         'primary' (address = mailbox) or 'alias'
--   context_id   the owning context
--
-- mailserver_v1_aliases         one row per (forwarding alias, recipient)
--   alias        the forwarding alias (an address of a hosted domain)
--   recipient    one recipient it forwards to (any address, hosted or not)
--   context_id   the owning context
--
-- A mailbox user's Dovecot login name, a user's address and a forward's alias are each unique
-- platform-wide (mail_addresses, V6), so no address appears in both addresses and aliases.

ALTER TABLE users ADD COLUMN mail_password_hash VARCHAR(255) NULL;
-- The Dovecot user name, indexed (lookups by it come with every login and delivery); written by
-- the database from primary_email (a generated column: no writer can forget it).
ALTER TABLE users ADD COLUMN mail_username VARCHAR(254) AS (LOWER(primary_email)) STORED;
CREATE INDEX ix_users_mail_username ON users (mail_username);

-- Dovecot's last_login plugin writes here through its dict (proxy::sql): the user's last mail
-- login (IMAP, POP3) in epoch seconds. username = the Dovecot user name (mailboxes.username).
CREATE TABLE mail_last_login (
    username    VARCHAR(320) NOT NULL,
    last_login  BIGINT       NOT NULL,
    PRIMARY KEY (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE VIEW mailserver_v1_domains AS
    SELECT d.name AS domain,
           CASE WHEN d.context_id IS NOT NULL THEN 'context' ELSE 'brand' END AS kind,
           d.context_id AS context_id,
           d.reseller_id AS reseller_id
    FROM mail_domains d;

CREATE VIEW mailserver_v1_mailboxes AS
    SELECT u.mail_username AS username,
           u.mail_password_hash AS password,
           CONCAT(u.context_id, '/', u.pk) AS home,
           u.quota_mb AS quota_mb,
           u.quota_mb * 1048576 AS quota_bytes,
           u.context_id AS context_id,
           u.user_id AS user_id,
           u.uidname AS uidname
    FROM users u;

CREATE VIEW mailserver_v1_addresses AS
    SELECT a.address AS address,
           u.mail_username AS mailbox,
           a.kind AS kind,
           a.context_id AS context_id
    FROM mail_addresses a
    JOIN users u ON u.pk = a.user_pk
    WHERE a.kind IN ('primary', 'alias');

CREATE VIEW mailserver_v1_aliases AS
    SELECT f.alias AS alias,
           r.recipient AS recipient,
           f.context_id AS context_id
    FROM forwards f
    JOIN forward_recipients r ON r.forward_id = f.id;
