DROP TABLE IF EXISTS workspace_versions;
