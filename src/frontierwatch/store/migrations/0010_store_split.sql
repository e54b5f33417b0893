-- The site stays up while data is rebuilt (issue 12 item 5): accounts, sessions and the release hall move to the
-- user database (users.duckdb, migration 0011_users), which the running server owns; the pipeline database keeps
-- what batch commands write. Before this runs, the store copies any rows of these tables to the user database
-- (frontierwatch.store.users.move_legacy_user_tables), so an old single-file store upgrades without losing a row.
DROP TABLE IF EXISTS hall_audit;
DROP TABLE IF EXISTS hall_topic_links;
DROP TABLE IF EXISTS hall_items;
DROP TABLE IF EXISTS web_sessions;
DROP TABLE IF EXISTS web_users;
