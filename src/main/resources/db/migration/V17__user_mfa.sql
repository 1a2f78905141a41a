-- TOTP multi-factor authentication of users (issue 15, part 2: shared accounts with a password
-- require it; any user row can be enrolled). A user with a row here signs in only through
-- POST /api/2.0/authentication with a current one-time code; its password alone opens nothing.
--
-- Columns
--   user_pk     the enrolled user; one enrolment per user (re-enrolling replaces the secret);
--               deleting the user deletes it.
--   secret      the base32 TOTP secret (160 random bits) as an AES-GCM ciphertext of
--               common/SecretBox ("v1.<key id>.<base64 iv+ciphertext>"), bound to the row
--               ("mfa:<user_pk>"); never stored in plaintext.
--   last_step   the RFC 6238 time step (Unix seconds / 30) of the last code accepted; a code
--               of this step or an earlier one is a replay. Moved only by a conditional
--               UPDATE ... WHERE last_step < ?, so two sign-ins with one code cannot both win.
--               0 = no code accepted yet.
--   created_at  when the secret was enrolled.
-- Written for both MySQL 8.0+ and MariaDB 10.11+.

CREATE TABLE user_mfa (
    user_pk     BIGINT        NOT NULL,
    secret      TEXT          NOT NULL,
    last_step   BIGINT        NOT NULL DEFAULT 0,
    created_at  TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (user_pk),
    CONSTRAINT fk_user_mfa_user FOREIGN KEY (user_pk) REFERENCES users (pk) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
