-- Announcements (OX Cloud-Plugins "Announcements"): messages a brand shows its users, and the users
-- of its sub-brands, inside a time window given as wall-clock times in the announcement's time zone.
-- start_at/end_at are the window as UTC instants (computed with the zone's rules when written), which
-- the active query compares with UTC_TIMESTAMP(); resellers read and write them as wall-clock times in timezone.
CREATE TABLE announcements (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    owner_id     BIGINT       NOT NULL,
    name         VARCHAR(255) NOT NULL,
    msg_json     MEDIUMTEXT   NOT NULL,
    timezone     VARCHAR(64)  NOT NULL,
    start_at     DATETIME     NOT NULL,
    end_at       DATETIME     NOT NULL,
    discardable  BOOLEAN      NOT NULL DEFAULT FALSE,
    enabled      BOOLEAN      NOT NULL DEFAULT TRUE,
    version      INT          NOT NULL DEFAULT 0,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT fk_announcements_owner FOREIGN KEY (owner_id) REFERENCES resellers (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_announcements_owner ON announcements (owner_id, id);

-- The brands an announcement targets (each shows it to its own users and its sub-brands' users), with
-- copies of enabled and the UTC window, so that "active now for these brands" is one index range per brand.
CREATE TABLE announcement_targets (
    announcement_id  BIGINT   NOT NULL,
    reseller_id      BIGINT   NOT NULL,
    enabled          BOOLEAN  NOT NULL,
    start_at         DATETIME NOT NULL,
    end_at           DATETIME NOT NULL,
    PRIMARY KEY (announcement_id, reseller_id),
    CONSTRAINT fk_announcement_targets_announcement FOREIGN KEY (announcement_id) REFERENCES announcements (id) ON DELETE CASCADE,
    CONSTRAINT fk_announcement_targets_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_announcement_targets_active ON announcement_targets (reseller_id, enabled, end_at, start_at, announcement_id);

-- Users who dismissed a (discardable) announcement; it no longer shows to them.
CREATE TABLE announcement_dismissals (
    user_pk          BIGINT       NOT NULL,
    announcement_id  BIGINT       NOT NULL,
    dismissed_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (user_pk, announcement_id),
    CONSTRAINT fk_announcement_dismissals_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE,
    CONSTRAINT fk_announcement_dismissals_announcement FOREIGN KEY (announcement_id) REFERENCES announcements (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_announcement_dismissals_announcement ON announcement_dismissals (announcement_id);
