DROP INDEX ix_environments_owner_name_name;
CREATE INDEX ix_environments_owner_name_name ON environments (owner_name, name);
