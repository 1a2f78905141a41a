-- External IMAP/POP3 + SMTP accounts of a user (ONLYOFFICE's mail accounts).
-- id is ONLYOFFICE's mailboxId. Secrets are AES-GCM ciphertexts that name their key
-- ("v1.<key id>.<base64 iv+ciphertext>"); no plaintext secret is ever stored.
CREATE TABLE mail_accounts (
    id                  BIGINT        NOT NULL AUTO_INCREMENT,
    user_pk             BIGINT        NOT NULL,
    email               VARCHAR(254)  NOT NULL,
    email_domain        VARCHAR(253)  NOT NULL,
    name                VARCHAR(255)  NOT NULL DEFAULT '',
    enabled             BOOLEAN       NOT NULL DEFAULT TRUE,
    is_default          BOOLEAN       NOT NULL DEFAULT FALSE,
    imap                BOOLEAN       NOT NULL,
    restrict_import     BOOLEAN       NOT NULL DEFAULT TRUE,
    in_server           VARCHAR(253)  NOT NULL,
    in_port             INT           NOT NULL,
    in_login            VARCHAR(320)  NOT NULL,
    in_encryption       TINYINT       NOT NULL,
    in_auth             TINYINT       NOT NULL,
    in_secret           TEXT          NULL,
    smtp_server         VARCHAR(253)  NOT NULL,
    smtp_port           INT           NOT NULL,
    smtp_login          VARCHAR(320)  NULL,
    smtp_encryption     TINYINT       NOT NULL,
    smtp_auth           BOOLEAN       NOT NULL,
    smtp_auth_type      TINYINT       NOT NULL,
    smtp_secret         TEXT          NULL,
    signature_html      MEDIUMTEXT    NULL,
    signature_active    BOOLEAN       NOT NULL DEFAULT FALSE,
    autoreply_on        BOOLEAN       NOT NULL DEFAULT FALSE,
    autoreply_contacts  BOOLEAN       NOT NULL DEFAULT FALSE,
    autoreply_to_date   BOOLEAN       NOT NULL DEFAULT FALSE,
    autoreply_from      DATETIME(3)   NULL,
    autoreply_to        DATETIME(3)   NULL,
    autoreply_subject   VARCHAR(1024) NULL,
    autoreply_html      MEDIUMTEXT    NULL,
    version             INT           NOT NULL DEFAULT 0,
    created_at          TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at          TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT uk_mail_accounts_user_email UNIQUE (user_pk, email),
    CONSTRAINT fk_mail_accounts_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Settings learned from verified accounts, looked up by the address's domain (accounts/simple).
CREATE INDEX ix_mail_accounts_domain ON mail_accounts (email_domain);
