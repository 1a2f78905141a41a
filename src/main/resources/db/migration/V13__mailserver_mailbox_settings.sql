-- The mail servers honour a mailbox's protocol flags (issue 14): mailserver_v1_mailboxes gains two
-- columns, as the views contract of V10 allows (names, existing columns and rows unchanged).
--   imap   TRUE when the user may log in over IMAP (mailboxes.imap4; TRUE for a user without a
--          mailbox row, who keeps every protocol as before)
--   pop3   the same for POP3 (mailboxes.pop3)
--   standard_folders  FALSE when the mailbox was created with skip_initialization: the mail
--          server creates no standard folders (Drafts, Sent, Trash, Junk, Archive) for it
-- Dovecot's password_query (deploy/mailserver/dovecot/dovecot-sql.conf.ext) reads them for the
-- service being logged in to. uk_mailboxes_user keeps the join one row per user.
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

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
    LEFT JOIN mailboxes m ON m.user_pk = u.pk;
