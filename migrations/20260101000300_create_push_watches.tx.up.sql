-- When each (user, service) push watch expires: a Gmail users.watch or a
-- Calendar or Drive notification channel. The renew_watches job opens one
-- where the row is missing or the expiry near. Channel ids are not kept:
-- a renewed channel is left to expire rather than stopped.
CREATE TABLE push_watches (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service    text        NOT NULL CHECK (service IN ('gmail', 'calendar', 'drive')),
    expires_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, service)
);
