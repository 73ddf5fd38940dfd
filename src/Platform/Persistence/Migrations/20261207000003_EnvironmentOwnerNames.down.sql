DROP INDEX ix_environments_owner_name_name;
DROP TRIGGER users_renamed_environments ON users;
DROP FUNCTION user_renamed_environments();
DROP TRIGGER environments_owner_name ON environments;
DROP FUNCTION environment_owner_name();
ALTER TABLE environments DROP owner_name;
