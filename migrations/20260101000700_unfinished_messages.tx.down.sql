DROP INDEX IF EXISTS messages_unfinished_idx;
