-- Tenancy: resellers (brands), tenant credentials, contexts, users, groups, sessions, audit.
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

CREATE TABLE resellers (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    name            VARCHAR(128) NOT NULL,
    password_hash   VARCHAR(100) NOT NULL,
    display_name    VARCHAR(255) NOT NULL,
    brand           VARCHAR(128) NOT NULL,
    parent_id       BIGINT       NULL,
    max_contexts    INT          NULL,
    max_users       INT          NULL,
    max_quota_mb    BIGINT       NULL,
    version         INT          NOT NULL DEFAULT 0,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uk_resellers_name UNIQUE (name),
    CONSTRAINT uk_resellers_brand UNIQUE (brand),
    CONSTRAINT fk_resellers_parent FOREIGN KEY (parent_id) REFERENCES resellers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE tenant_credentials (
    reseller_id     BIGINT       NOT NULL,
    login           VARCHAR(128) NOT NULL,
    password_hash   VARCHAR(100) NOT NULL,
    PRIMARY KEY (reseller_id),
    CONSTRAINT uk_tenant_credentials_login UNIQUE (login),
    CONSTRAINT fk_tenant_credentials_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Allocator for context ids that the caller does not choose.
CREATE TABLE context_id_seq (
    id BIGINT NOT NULL AUTO_INCREMENT,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

CREATE TABLE contexts (
    id                   BIGINT       NOT NULL,
    name                 VARCHAR(128) NOT NULL,
    reseller_id          BIGINT       NOT NULL,
    admin_login          VARCHAR(128) NOT NULL,
    admin_password_hash  VARCHAR(100) NOT NULL,
    max_users            INT          NULL,
    max_quota_mb         BIGINT       NULL,
    version              INT          NOT NULL DEFAULT 0,
    created_at           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uk_contexts_name UNIQUE (name),
    CONSTRAINT fk_contexts_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_contexts_reseller ON contexts (reseller_id, id);

CREATE TABLE users (
    pk              BIGINT       NOT NULL AUTO_INCREMENT,
    context_id      BIGINT       NOT NULL,
    user_id         INT          NOT NULL,
    uidname         VARCHAR(128) NOT NULL,
    primary_email   VARCHAR(254) NOT NULL,
    display_name    VARCHAR(255) NOT NULL,
    password_hash   VARCHAR(100) NOT NULL,
    quota_mb        BIGINT       NULL,
    last_login_at   TIMESTAMP(3) NULL,
    version         INT          NOT NULL DEFAULT 0,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (pk),
    CONSTRAINT uk_users_context_user UNIQUE (context_id, user_id),
    CONSTRAINT uk_users_uidname UNIQUE (uidname),
    CONSTRAINT uk_users_primary_email UNIQUE (primary_email),
    CONSTRAINT fk_users_context FOREIGN KEY (context_id) REFERENCES contexts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_aliases (
    user_pk  BIGINT       NOT NULL,
    address  VARCHAR(254) NOT NULL,
    PRIMARY KEY (user_pk, address),
    CONSTRAINT uk_user_aliases_address UNIQUE (address),
    CONSTRAINT fk_user_aliases_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE groups_ (
    pk            BIGINT       NOT NULL AUTO_INCREMENT,
    context_id    BIGINT       NOT NULL,
    group_id      INT          NOT NULL,
    name          VARCHAR(128) NOT NULL,
    display_name  VARCHAR(255) NOT NULL,
    version       INT          NOT NULL DEFAULT 0,
    PRIMARY KEY (pk),
    CONSTRAINT uk_groups_context_group UNIQUE (context_id, group_id),
    CONSTRAINT uk_groups_context_name UNIQUE (context_id, name),
    CONSTRAINT fk_groups_context FOREIGN KEY (context_id) REFERENCES contexts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE group_members (
    group_pk  BIGINT NOT NULL,
    user_pk   BIGINT NOT NULL,
    PRIMARY KEY (group_pk, user_pk),
    CONSTRAINT fk_group_members_group FOREIGN KEY (group_pk) REFERENCES groups_ (pk) ON DELETE CASCADE,
    CONSTRAINT fk_group_members_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_group_members_user ON group_members (user_pk);

CREATE TABLE user_sessions (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    token_hash  CHAR(64)     NOT NULL,
    user_pk     BIGINT       NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    expires_at  TIMESTAMP(3) NOT NULL,
    revoked_at  TIMESTAMP(3) NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_user_sessions_token UNIQUE (token_hash),
    CONSTRAINT fk_user_sessions_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

CREATE INDEX ix_user_sessions_user ON user_sessions (user_pk);

CREATE TABLE audit_log (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    at           TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    actor        VARCHAR(200) NOT NULL,
    realm        VARCHAR(32)  NOT NULL,
    action       VARCHAR(64)  NOT NULL,
    target       VARCHAR(300) NOT NULL,
    reseller_id  BIGINT       NULL,
    context_id   BIGINT       NULL,
    request_id   VARCHAR(64)  NULL,
    PRIMARY KEY (id),
    INDEX ix_audit_log_reseller (reseller_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Credential change events: every replica polls this table and evicts matching entries
-- from its verified-credential cache.
CREATE TABLE credential_events (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    account_key  VARCHAR(100) NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    INDEX ix_credential_events_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
