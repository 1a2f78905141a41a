-- Shared accounts with an owner and delegates (issue 15, part 2; SPEC §10, seed 002).
--
-- A shared account IS a user of its context (users row, "the backing user"): its address is that
-- user's primary address and login (uidname), so limits, the address registry, /users and the
-- mail-server views work for it unchanged. This table adds what makes it shared.
--
-- shared_accounts
--   id          platform-wide id.
--   context_id  the context (of the backing user and of the owner).
--   user_pk     the backing user; one shared account per user. Deleting the backing user deletes
--               the shared account (and, through it, its delegations).
--   owner_pk    the owner: a user of the same context that is not itself a shared account.
--               The API refuses to delete a user while it owns shared accounts (409
--               SHARED_ACCOUNT_OWNER); the cascade only matters for a whole context's deletion.
--   type        'mailbox'      no password: nobody signs in as it (its users.password_hash is a
--                              marker that never verifies, users.mail_password_hash NULL); used
--                              only through delegation; receives mail (users.mail_enabled TRUE).
--               'sso'          a password (API sign-in, with MFA) and no mailbox
--                              (users.mail_enabled FALSE: no delivery, no IMAP/POP3).
--               'mailbox_sso'  a password (with MFA) and a mailbox.
--               Types with a password are enrolled in MFA (security.Mfa). Their password is never
--               verifiable by the mail server (users.mail_password_hash stays NULL, and
--               mailserver_v1_mailboxes.password is NULL for every shared account, below): Dovecot
--               cannot ask for a one-time code; mailbox access goes through delegation.
--   version     moves with every change of the account or its delegates (its ETag, with the
--               backing user's version).
--
-- shared_account_user_delegates / shared_account_group_delegates
--   One row per (account, user) and per (account, group): the delegate's permissions and the end
--   of the delegation.
--   permissions  a bit set: 1 read, 2 send_as, 4 send_on_behalf, 8 manage (manage = may change the
--                account's delegates); never 0.
--   until        the delegation ends at this instant (exclusive); NULL = no end. A row with
--                until <= CURRENT_TIMESTAMP(3) counts as absent everywhere (no job is needed to
--                end it; writers prune expired rows of the account they change).
--   Group delegation is LIVE: it is resolved through group_members when read, so a user who joins
--   the group has the access and one who leaves loses it. Deleting the user or group deletes the
--   delegation (foreign keys).
--
-- For the mail server (a later Dovecot shared namespace / ACL view): the shared accounts a user may
-- read, per user, with the effective permissions, is
--   SELECT d.user_pk AS reader_pk, d.account_id, d.permissions FROM shared_account_user_delegates d
--     WHERE d.until IS NULL OR d.until > CURRENT_TIMESTAMP(3)
--   UNION ALL
--   SELECT gm.user_pk, d.account_id, d.permissions FROM shared_account_group_delegates d
--     JOIN group_members gm ON gm.group_pk = d.group_pk
--     WHERE d.until IS NULL OR d.until > CURRENT_TIMESTAMP(3)
-- grouped by (reader_pk, account_id) with BIT_OR(permissions), filtered on permissions & 1 and joined
-- to users (reader's and account's mail_username) — every step an index lookup
-- (ix_..._user / ix_..._group, group_members' primary key and ix_group_members_user).
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

CREATE TABLE shared_accounts (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    context_id  BIGINT       NOT NULL,
    user_pk     BIGINT       NOT NULL,
    owner_pk    BIGINT       NOT NULL,
    type        VARCHAR(11)  NOT NULL,
    version     INT          NOT NULL DEFAULT 0,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uk_shared_accounts_user UNIQUE (user_pk),
    INDEX ix_shared_accounts_context (context_id, id),
    INDEX ix_shared_accounts_owner (owner_pk, id),
    CONSTRAINT ck_shared_accounts_type CHECK (type IN ('mailbox', 'sso', 'mailbox_sso')),
    CONSTRAINT fk_shared_accounts_user FOREIGN KEY (context_id, user_pk)
        REFERENCES users (context_id, pk) ON DELETE CASCADE,
    CONSTRAINT fk_shared_accounts_owner FOREIGN KEY (context_id, owner_pk)
        REFERENCES users (context_id, pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE shared_account_user_delegates (
    account_id   BIGINT       NOT NULL,
    user_pk      BIGINT       NOT NULL,
    permissions  SMALLINT     NOT NULL,
    until        TIMESTAMP(3) NULL,
    PRIMARY KEY (account_id, user_pk),
    INDEX ix_shared_account_user_delegates_user (user_pk, account_id),
    CONSTRAINT ck_shared_account_user_delegates_permissions CHECK (permissions BETWEEN 1 AND 15),
    CONSTRAINT fk_shared_account_user_delegates_account FOREIGN KEY (account_id)
        REFERENCES shared_accounts (id) ON DELETE CASCADE,
    CONSTRAINT fk_shared_account_user_delegates_user FOREIGN KEY (user_pk)
        REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE shared_account_group_delegates (
    account_id   BIGINT       NOT NULL,
    group_pk     BIGINT       NOT NULL,
    permissions  SMALLINT     NOT NULL,
    until        TIMESTAMP(3) NULL,
    PRIMARY KEY (account_id, group_pk),
    INDEX ix_shared_account_group_delegates_group (group_pk, account_id),
    CONSTRAINT ck_shared_account_group_delegates_permissions CHECK (permissions BETWEEN 1 AND 15),
    CONSTRAINT fk_shared_account_group_delegates_account FOREIGN KEY (account_id)
        REFERENCES shared_accounts (id) ON DELETE CASCADE,
    CONSTRAINT fk_shared_account_group_delegates_group FOREIGN KEY (group_pk)
        REFERENCES groups_ (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The mail server never verifies a shared account's password (MFA accounts; 'mailbox' has none):
-- the V10 contract's "password NULL = cannot log in" holds for them, whatever users holds.
CREATE OR REPLACE VIEW mailserver_v1_mailboxes AS
    SELECT u.mail_username AS username,
           CASE WHEN s.id IS NULL THEN u.mail_password_hash END AS password,
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
    LEFT JOIN shared_accounts s ON s.user_pk = u.pk
    WHERE u.mail_enabled;
