-- Cloud-Plugins per-user attributes (SPEC §5). Every searchable attribute has an index.

ALTER TABLE users
    ADD COLUMN msisdn            VARCHAR(32)  NULL,
    ADD COLUMN msisdn_digits     VARCHAR(15)  NULL,
    ADD COLUMN oxdeliverystatus  VARCHAR(64)  NULL,
    ADD COLUMN oxlegacyref       VARCHAR(128) NULL,
    ADD COLUMN oxantiphishing    VARCHAR(64)  NULL,
    ADD COLUMN antivirus         BOOLEAN      NULL,
    ADD COLUMN spamlevel         VARCHAR(8)   NULL,
    ADD COLUMN quotamode         VARCHAR(8)   NULL;

CREATE INDEX ix_users_msisdn_digits ON users (msisdn_digits);
CREATE INDEX ix_users_oxdeliverystatus ON users (oxdeliverystatus);

CREATE TABLE user_class_of_service (
    user_pk  BIGINT      NOT NULL,
    cos      VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_pk, cos),
    CONSTRAINT fk_user_cos_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_custom_ids (
    user_pk    BIGINT       NOT NULL,
    custom_id  VARCHAR(128) NOT NULL,
    PRIMARY KEY (user_pk, custom_id),
    INDEX ix_user_custom_ids_custom (custom_id, user_pk),
    CONSTRAINT fk_user_custom_ids_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
