-- A page past the first (`?offset=5000`) walks the list's ordering index to its offset. With the row's id in the index,
-- that walk reads the index alone and only the page's 50 rows are read from the table (PageRequest.ApplyByKeyAsync),
-- instead of every row before the offset — for environments, every row with its JSON spec, sorted.
DROP INDEX ix_environments_owner_name_name;
CREATE INDEX ix_environments_owner_name_name ON environments (owner_name, name) INCLUDE (id);
DROP INDEX ix_users_name;
CREATE UNIQUE INDEX ix_users_name ON users (name) INCLUDE (id);
