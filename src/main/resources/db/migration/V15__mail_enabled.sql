-- A user receives mail, and may log in to IMAP/POP3, only while they have a mailbox (issue 14).
--
-- The rule:
--   * Every user created through /users (OX createuser) has an IMPLICIT mailbox, as every OX user
--     has mail: every protocol, quota = users.quota_mb. It has no row in `mailboxes`.
--   * POST .../mailboxes gives a user an explicit mailbox (a row in `mailboxes`, with protocol
--     flags) and sets mail_enabled TRUE, whether the user had an implicit mailbox or none at all.
--   * DELETE .../mailboxes/{id} removes the row AND sets mail_enabled FALSE: the user stays (its
--     login, password and addresses stay its own, so nobody else can take the addresses) but it no
--     longer has a mailbox: Postfix refuses mail to its addresses (550 5.1.1 in the SMTP dialogue)
--     and Dovecot refuses its IMAP/POP3 logins (unknown user). Its Maildir stays on disk, for the
--     operator, and is used again if the user gets a mailbox again.
--   * Accounts without mail (shared accounts of type 'sso', V16) are created with mail_enabled FALSE.
--
-- users.mail_enabled  TRUE while the user has a mailbox (implicit or explicit). A column of users,
--                     not "has a mailboxes row", because users with an implicit mailbox have none.
--
-- The views keep the V10 contract (names and existing columns unchanged): the row sets shrink by the
-- users without mail. mailserver_v1_mailboxes and mailserver_v1_addresses lose the rows of users with
-- mail_enabled FALSE; mailserver_v1_aliases (forwarding aliases and their recipients) is unchanged:
-- a forward to such a user's address still expands, and Postfix then refuses the recipient.
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

ALTER TABLE users ADD COLUMN mail_enabled BOOLEAN NOT NULL DEFAULT TRUE;

CREATE OR REPLACE VIEW mailserver_v1_mailboxes AS
    SELECT u.mail_username AS username,
           u.mail_password_hash AS password,
           CONCAT(u.context_id, '/', u.pk) AS home,
           u.quota_mb AS quota_mb,
           u.quota_mb * 1048576 AS quota_bytes,
           u.context_id AS context_id,
           u.user_id AS user_id,
           u.uidname AS uidname,
           COALESCE(m.imap4, TRUE) AS imap,
           COALESCE(m.pop3, TRUE) AS pop3,
           NOT COALESCE(m.skip_initialization, FALSE) AS standard_folders
    FROM users u
    LEFT JOIN mailboxes m ON m.user_pk = u.pk
    WHERE u.mail_enabled;

CREATE OR REPLACE VIEW mailserver_v1_addresses AS
    SELECT a.address AS address,
           u.mail_username AS mailbox,
           a.kind AS kind,
           a.context_id AS context_id
    FROM mail_addresses a
    JOIN users u ON u.pk = a.user_pk
    WHERE a.kind IN ('primary', 'alias') AND u.mail_enabled;
