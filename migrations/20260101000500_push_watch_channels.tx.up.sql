-- The id and resource id of each Calendar and Drive channel, so the
-- renew_watches job can stop the channel a renewal supersedes instead of
-- leaving Google to notify through both until the old one expires. Gmail
-- watches have no channel: a new one replaces the old.
ALTER TABLE push_watches
    ADD COLUMN channel_id  text NOT NULL DEFAULT '',
    ADD COLUMN resource_id text NOT NULL DEFAULT '';
