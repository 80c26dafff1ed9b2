-- A full sync replaces a service's cache in place instead of emptying it
-- first, so a failure half-way (a 429, a restart) leaves the old cache
-- searchable: every row records when a sync last wrote it, cache_sweeps when
-- the running full sync began, and the rows it did not rewrite go when its
-- last page commits. start_token is the token taken before that full sync,
-- kept apart from last_sync_token so that an unfinished full sync is never
-- taken for a finished one.
ALTER TABLE sync_status ADD COLUMN start_token text NOT NULL DEFAULT '';
ALTER TABLE gmail_cache ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE gcal_cache ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE gdrive_cache ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE cache_sweeps (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service text NOT NULL CHECK (service IN ('gmail', 'calendar', 'drive')),
    since   timestamptz NOT NULL,
    PRIMARY KEY (user_id, service)
);
