-- Exchange-style mailboxes (SPEC §11, issue 14): at most one per user.
--
-- A mailbox adds to a user what Exchange's addMailbox provisions; everything a user already
-- has stays the user's and is not copied here:
--   addresses   the mailbox's primary address and alternative addresses ARE the user's
--               users.primary_email and user_aliases (owned in mail_addresses, one owner each);
--   size limit  the user's users.quota_mb: size_limit (KB) = quota_mb * 1024, so a size
--               limit must be a whole number of MB (a multiple of 1024 KB);
--   password    the user's.
--
-- Columns
--   id                   the mailbox id (mailbox_id), platform-wide.
--   context_id, user_pk  the owner; one mailbox per user (uk_mailboxes_user); deleting the
--                        user deletes its mailbox.
--   alias                Exchange's mailbox alias (mail nickname), unique within the context.
--   owa, mapi, active_sync  stored and shown for the gateways that read them.
--   imap4, pop3          whether the mail server lets the user in over IMAP / POP3.
--   skip_initialization  the creation skipped initialising the standard folders.
--   migrated             marked as migrated from an external system (mark_migrated).
--
-- For mail servers (Postfix/Dovecot): a user without a mailbox row keeps today's behaviour
-- (every protocol, users.quota_mb), so the views read
--   LEFT JOIN mailboxes m ON m.user_pk = u.pk ... COALESCE(m.imap4, 1), COALESCE(m.pop3, 1)
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

CREATE TABLE mailboxes (
    id                   BIGINT       NOT NULL AUTO_INCREMENT,
    context_id           BIGINT       NOT NULL,
    user_pk              BIGINT       NOT NULL,
    alias                VARCHAR(64)  NOT NULL,
    owa                  BOOLEAN      NOT NULL,
    mapi                 BOOLEAN      NOT NULL,
    active_sync          BOOLEAN      NOT NULL,
    imap4                BOOLEAN      NOT NULL,
    pop3                 BOOLEAN      NOT NULL,
    skip_initialization  BOOLEAN      NOT NULL,
    migrated             BOOLEAN      NOT NULL,
    version              INT          NOT NULL DEFAULT 0,
    created_at           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uk_mailboxes_user UNIQUE (user_pk),
    CONSTRAINT uk_mailboxes_alias UNIQUE (context_id, alias),
    INDEX ix_mailboxes_context (context_id, id),
    CONSTRAINT fk_mailboxes_user FOREIGN KEY (context_id, user_pk)
        REFERENCES users (context_id, pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
