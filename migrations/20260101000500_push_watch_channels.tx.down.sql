ALTER TABLE push_watches DROP COLUMN IF EXISTS resource_id, DROP COLUMN IF EXISTS channel_id;
