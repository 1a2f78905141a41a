-- Notification templates (issue 12): a brand's own templates per kind and locale, and the brand's
-- default locale. Brands without their own fall back to their parent brand's, then to the built-in
-- templates (src/main/resources/templates/notify/). Written for both MySQL 8.0+ and MariaDB 10.11+.

CREATE TABLE notification_templates (
    reseller_id  BIGINT       NOT NULL,
    kind         VARCHAR(32)  NOT NULL,
    locale       VARCHAR(35)  NOT NULL,
    subject      VARCHAR(1000) NOT NULL,
    text_body    MEDIUMTEXT   NOT NULL,
    html_body    MEDIUMTEXT   NULL,
    version      INT          NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (reseller_id, kind, locale),
    CONSTRAINT fk_notification_templates_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE notification_brand_settings (
    reseller_id     BIGINT      NOT NULL,
    default_locale  VARCHAR(35) NOT NULL,
    PRIMARY KEY (reseller_id),
    CONSTRAINT fk_notification_brand_settings_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
