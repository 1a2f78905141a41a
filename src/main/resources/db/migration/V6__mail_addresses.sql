-- One registry of every deliverable address on the platform and its owner.
--
-- An address (a user's primary address, one of a user's aliases, or a forwarding alias) is
-- delivered to exactly one place. Until now each kind lived in its own table with its own
-- unique key (users.primary_email, user_aliases.address, forwards.alias), and uniqueness
-- across the kinds was checked by counting rows, which concurrent writers could both pass.
-- Here the primary key on the address settles it: whoever inserts the address first owns it,
-- every other writer meets the duplicate key and is refused (409 ADDRESS_EXISTS).
--
-- Columns
--   address     the canonical address (domain part lowercase punycode); compared
--               case-insensitively (utf8mb4_unicode_ci), like the tables it mirrors.
--   context_id  the context that owns the address.
--   kind        'primary' (a user's primary address), 'alias' (a user's alias) or
--               'forward' (a forwarding alias).
--   user_pk     users.pk of the owner for 'primary' and 'alias', NULL for 'forward'.
--   forward_id  forwards.id of the owner for 'forward', NULL otherwise.
--
-- The owner's foreign keys include the context id, so a row can only name a user or forward
-- of the same context, and each cascades: deleting a user, a forward (also when its last
-- recipient goes, or a forced domain release removes it) or a whole context (through its
-- users and forwards) frees the addresses. The service writes the rows in the same
-- transaction as the owner (user create/update/alias add/remove, forward create); the
-- original tables stay the source the API reads.
--
-- For mail servers (Postfix/Dovecot), for example:
--   mailbox of an address:  SELECT u.primary_email FROM mail_addresses a
--                           JOIN users u ON u.pk = a.user_pk WHERE a.address = '%s'
--   forward recipients:     SELECT r.recipient FROM mail_addresses a
--                           JOIN forward_recipients r ON r.forward_id = a.forward_id
--                           WHERE a.address = '%s'
--
-- Rows written before this registry existed may already conflict (the bug it fixes). The
-- first claim wins: primary addresses (oldest user first), then aliases, then forwards; a
-- later claim of a taken address is left out of the registry. Such leftovers are listed by
--   SELECT u.pk, a.address FROM user_aliases a JOIN users u ON u.pk = a.user_pk
--   LEFT JOIN mail_addresses m ON m.address = a.address AND m.user_pk = u.pk WHERE m.address IS NULL
--   UNION ALL
--   SELECT u.pk, u.primary_email FROM users u
--   LEFT JOIN mail_addresses m ON m.address = u.primary_email AND m.user_pk = u.pk WHERE m.address IS NULL
--   UNION ALL
--   SELECT f.id, f.alias FROM forwards f
--   LEFT JOIN mail_addresses m ON m.forward_id = f.id WHERE m.address IS NULL
-- and should be resolved by hand (delete the forward or change the user's addresses; until
-- then, changing that user's addresses answers 409 ADDRESS_EXISTS).
--
-- No CHECK constraint covers user_pk/forward_id: MySQL 8 refuses CHECK constraints on
-- columns used by a foreign key's referential action. The service always sets exactly the
-- owner column that matches kind.
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

-- Referenced keys of the owner foreign keys (unique because they contain the primary key).
ALTER TABLE users ADD CONSTRAINT uk_users_context_pk UNIQUE (context_id, pk);
ALTER TABLE forwards ADD CONSTRAINT uk_forwards_context_id UNIQUE (context_id, id);

CREATE TABLE mail_addresses (
    address     VARCHAR(254) NOT NULL,
    context_id  BIGINT       NOT NULL,
    kind        VARCHAR(7)   NOT NULL,
    user_pk     BIGINT       NULL,
    forward_id  BIGINT       NULL,
    PRIMARY KEY (address),
    INDEX ix_mail_addresses_user (context_id, user_pk),
    INDEX ix_mail_addresses_forward (context_id, forward_id),
    CONSTRAINT ck_mail_addresses_kind CHECK (kind IN ('primary', 'alias', 'forward')),
    CONSTRAINT fk_mail_addresses_user FOREIGN KEY (context_id, user_pk)
        REFERENCES users (context_id, pk) ON DELETE CASCADE,
    CONSTRAINT fk_mail_addresses_forward FOREIGN KEY (context_id, forward_id)
        REFERENCES forwards (context_id, id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT IGNORE INTO mail_addresses (address, context_id, kind, user_pk)
    SELECT primary_email, context_id, 'primary', pk FROM users ORDER BY pk;

INSERT IGNORE INTO mail_addresses (address, context_id, kind, user_pk)
    SELECT a.address, u.context_id, 'alias', u.pk
    FROM user_aliases a JOIN users u ON u.pk = a.user_pk ORDER BY u.pk, a.address;

INSERT IGNORE INTO mail_addresses (address, context_id, kind, forward_id)
    SELECT alias, context_id, 'forward', id FROM forwards ORDER BY id;
