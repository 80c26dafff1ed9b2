ALTER TABLE users DROP COLUMN google_scopes;
DROP TABLE sessions;
