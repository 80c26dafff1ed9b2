-- Sign-in sessions: each refresh token is kept only as its SHA-256 hash and
-- used once; a rotation inserts the next token of the same family and marks
-- the old one used. Presenting a used token again revokes its whole family
-- (a stolen token and its legitimate owner cannot both keep the session).
CREATE TABLE sessions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_family_idx ON sessions (family_id);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- The OAuth scopes the user granted with the stored Google token.
ALTER TABLE users ADD COLUMN google_scopes text[] NOT NULL DEFAULT '{}';
