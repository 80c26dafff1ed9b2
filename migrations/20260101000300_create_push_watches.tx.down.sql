DROP TABLE IF EXISTS push_watches;
