-- Column lengths that follow from the validated input limits, and one namespace of logins.
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

-- A list entry is at most '*@' and a domain of 253 characters (an address has at most 254).
ALTER TABLE user_list_entries MODIFY entry VARCHAR(255) NOT NULL;

-- The actor is the name the caller signed in with; the longest is a context admin's
-- login@contextName: Login (128) + '@' + ContextName (128).
ALTER TABLE audit_log MODIFY actor VARCHAR(257) NOT NULL;

-- Every login that an account signs in with by name alone, with the one account that holds it:
-- a user (uidname), a reseller (name) or a brand's tenant credentials (login). The primary key
-- (case-insensitive, as the logins are compared) keeps the realms' namespaces disjoint under
-- concurrency; deleting an account releases its login (ON DELETE CASCADE, also when a context's
-- deletion cascades to its users). The master login comes from the configuration and is checked
-- in code. Exactly one owner column is set (kept by the code: MySQL refuses CHECK constraints on
-- columns with referential actions).
CREATE TABLE login_claims (
    login               VARCHAR(128) NOT NULL,
    user_pk             BIGINT       NULL,
    reseller_id         BIGINT       NULL,
    tenant_reseller_id  BIGINT       NULL,
    PRIMARY KEY (login),
    CONSTRAINT uk_login_claims_user UNIQUE (user_pk),
    CONSTRAINT uk_login_claims_reseller UNIQUE (reseller_id),
    CONSTRAINT uk_login_claims_tenant UNIQUE (tenant_reseller_id),
    CONSTRAINT fk_login_claims_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE,
    CONSTRAINT fk_login_claims_reseller FOREIGN KEY (reseller_id) REFERENCES resellers (id) ON DELETE CASCADE,
    CONSTRAINT fk_login_claims_tenant FOREIGN KEY (tenant_reseller_id) REFERENCES tenant_credentials (reseller_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The logins there are now. Should two realms share one already, the admin realm keeps it
-- (resellers first, then tenant logins, then users); the other account still signs in as before.
INSERT IGNORE INTO login_claims (login, reseller_id) SELECT name, id FROM resellers;
INSERT IGNORE INTO login_claims (login, tenant_reseller_id) SELECT login, reseller_id FROM tenant_credentials;
INSERT IGNORE INTO login_claims (login, user_pk) SELECT uidname, pk FROM users;
