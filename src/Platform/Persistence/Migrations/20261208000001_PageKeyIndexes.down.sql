DROP INDEX ix_environments_owner_name_name;
CREATE INDEX ix_environments_owner_name_name ON environments (owner_name, name);
DROP INDEX ix_users_name;
CREATE UNIQUE INDEX ix_users_name ON users (name);
