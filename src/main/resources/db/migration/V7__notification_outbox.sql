-- The transactional outbox of notification mails (issue 12): a row is written in the transaction of
-- the request that wants the mail sent; a scheduled worker on any replica claims due rows with
-- SELECT ... FOR UPDATE SKIP LOCKED, sends them over SMTP and records the outcome.
-- Written for both MySQL 8.0+ and MariaDB 10.6+.
--
-- status: queued (waiting; due at next_attempt_at), sending (claimed by a worker until
-- next_attempt_at, its lease; claim_token names the claim), sent, failed (retry limit reached),
-- cancelled (by an operator).
-- reseller_id: the brand whose user the mail is for; kept (NULL) when the reseller is deleted, so
-- that the master admin still sees what was sent. context_id and user_id are informational (no
-- foreign key): the record of a mail outlives the user it was for.
CREATE TABLE notification_outbox (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    reseller_id     BIGINT        NULL,
    context_id      BIGINT        NULL,
    user_id         INT           NULL,
    kind            VARCHAR(64)   NOT NULL,
    recipient       VARCHAR(320)  NOT NULL,
    sender          VARCHAR(320)  NULL,
    subject         VARCHAR(1000) NOT NULL,
    text_body       MEDIUMTEXT    NOT NULL,
    html_body       MEDIUMTEXT    NULL,
    status          VARCHAR(16)   NOT NULL DEFAULT 'queued',
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    claim_token     CHAR(24)      NULL,
    last_error      VARCHAR(500)  NULL,
    message_id      VARCHAR(255)  NULL,
    created_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    sent_at         TIMESTAMP(3)  NULL,
    steered_at      TIMESTAMP(3)  NULL,
    PRIMARY KEY (id),
    KEY ix_notification_outbox_due (status, next_attempt_at),
    KEY ix_notification_outbox_reseller (reseller_id, status, id),
    CONSTRAINT fk_notification_outbox_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
