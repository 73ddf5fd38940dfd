-- A page of all environments past the first (`?offset=1000`) walks the ordering index to its offset. With the row's id in
-- the index, that walk reads the index alone and only the page's 50 rows are read from the table
-- (PageRequest.ApplyByKeyAsync), instead of every row before the offset with its JSON spec, sorted.
DROP INDEX ix_environments_owner_name_name;
CREATE INDEX ix_environments_owner_name_name ON environments (owner_name, name) INCLUDE (id);
