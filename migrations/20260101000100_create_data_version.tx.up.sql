-- A per-user counter bumped by every write to that user's workspace cache, so
-- caches of derived results (search, answers) can tell they are stale.
CREATE TABLE workspace_versions (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version    bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
