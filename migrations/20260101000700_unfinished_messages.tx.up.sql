-- The sweep of asks left unfinished by stopped instances looks for pending
-- and running messages by age: a small partial index, as nearly every
-- message is finished.
CREATE INDEX messages_unfinished_idx ON messages (updated_at) WHERE status IN ('pending', 'running');
