-- Dovecot's shared mailboxes follow Mailplane's delegations (issue 15, part 2): a new view of the
-- versioned mail-server contract (V10: names and columns of existing views never change).
--
-- mailserver_v1_shared_readers: one row per (user, shared account) where the user may READ the
-- shared account's mailbox now.
--   username      the reader's Dovecot user name (mailserver_v1_mailboxes.username)
--   acl_group     "mailplane-shared-<shared account id>": Dovecot's acl_groups for the reader
--   shared_username  the shared account's Dovecot user name (its mailbox: shared/<it>/INBOX)
-- A reader has it through a delegation to them or to a group they belong to NOW (group
-- delegation is live), with the read permission (bit 1), not expired (until in the future).
-- Only readers and shared accounts that have mail (users.mail_enabled) appear.
-- Dovecot's user_query answers GROUP_CONCAT(acl_group) as the user's acl_groups; Mailplane gives
-- each group the rights "lrs" on the shared account's INBOX (IMAP SETACL as the master user) when
-- it creates the account and whenever a delegate is set.
--
-- shared_accounts.mailbox_acl_at: when Mailplane gave the group "mailplane-shared-<id>" its rights
-- on the shared mailbox (NULL: not yet; SharedMailboxAcls retries until Dovecot answers).
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

ALTER TABLE shared_accounts ADD COLUMN mailbox_acl_at TIMESTAMP(3) NULL;
CREATE INDEX ix_shared_accounts_acl ON shared_accounts (mailbox_acl_at);

-- Two joins that each start from the reader (users.mail_username is unique and indexed), united:
-- MySQL 8 and MariaDB push the user_query's "username = ..." into both branches.
CREATE OR REPLACE VIEW mailserver_v1_shared_readers AS
    SELECT r.mail_username AS username,
           CONCAT('mailplane-shared-', s.id) AS acl_group,
           su.mail_username AS shared_username
    FROM users r
    JOIN shared_account_user_delegates ud ON ud.user_pk = r.pk
    JOIN shared_accounts s ON s.id = ud.account_id
    JOIN users su ON su.pk = s.user_pk
    WHERE r.mail_enabled AND su.mail_enabled
      AND (ud.permissions & 1) = 1 AND (ud.until IS NULL OR ud.until > CURRENT_TIMESTAMP(3))
    UNION
    SELECT r.mail_username AS username,
           CONCAT('mailplane-shared-', s.id) AS acl_group,
           su.mail_username AS shared_username
    FROM users r
    JOIN group_members gm ON gm.user_pk = r.pk
    JOIN shared_account_group_delegates gd ON gd.group_pk = gm.group_pk
    JOIN shared_accounts s ON s.id = gd.account_id
    JOIN users su ON su.pk = s.user_pk
    WHERE r.mail_enabled AND su.mail_enabled
      AND (gd.permissions & 1) = 1 AND (gd.until IS NULL OR gd.until > CURRENT_TIMESTAMP(3));
