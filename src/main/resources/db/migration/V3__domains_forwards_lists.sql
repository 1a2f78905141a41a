-- Mail domains (explicit per context, or shared per brand), forwarding aliases and
-- per-user black/white lists (SPEC §6).

-- A domain has exactly one owner on the whole platform: one context, or one brand (shared).
CREATE TABLE mail_domains (
    name         VARCHAR(253) NOT NULL,
    context_id   BIGINT       NULL,
    reseller_id  BIGINT       NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (name),
    INDEX ix_mail_domains_context (context_id),
    INDEX ix_mail_domains_reseller (reseller_id),
    CONSTRAINT ck_mail_domains_one_owner CHECK ((context_id IS NULL) <> (reseller_id IS NULL)),
    CONSTRAINT fk_mail_domains_context FOREIGN KEY (context_id) REFERENCES contexts (id) ON DELETE CASCADE,
    CONSTRAINT fk_mail_domains_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_general_ci;

CREATE TABLE forwards (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    context_id  BIGINT       NOT NULL,
    alias       VARCHAR(254) NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uk_forwards_alias UNIQUE (alias),
    INDEX ix_forwards_context (context_id, alias),
    CONSTRAINT fk_forwards_context FOREIGN KEY (context_id) REFERENCES contexts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE forward_recipients (
    forward_id  BIGINT       NOT NULL,
    recipient   VARCHAR(254) NOT NULL,
    PRIMARY KEY (forward_id, recipient),
    CONSTRAINT fk_forward_recipients_forward FOREIGN KEY (forward_id) REFERENCES forwards (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- list: 'B' blacklist, 'W' whitelist
CREATE TABLE user_list_entries (
    user_pk  BIGINT       NOT NULL,
    list     CHAR(1)      NOT NULL,
    entry    VARCHAR(254) NOT NULL,
    PRIMARY KEY (user_pk, list, entry),
    CONSTRAINT fk_user_list_entries_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
