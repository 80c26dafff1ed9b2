DROP TABLE IF EXISTS cache_sweeps;
ALTER TABLE gdrive_cache DROP COLUMN IF EXISTS synced_at;
ALTER TABLE gcal_cache DROP COLUMN IF EXISTS synced_at;
ALTER TABLE gmail_cache DROP COLUMN IF EXISTS synced_at;
ALTER TABLE sync_status DROP COLUMN IF EXISTS start_token;
