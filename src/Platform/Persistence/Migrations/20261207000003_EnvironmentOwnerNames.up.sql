-- The owner's name on each environment row, kept by PostgreSQL: the admin list is ordered by (owner, name), which no
-- index could give while the owner's name lived only in users — every page sorted every environment. A row gets its
-- owner's name when written. The API refuses to rename users today; a rename made any other way renames their rows too.
ALTER TABLE environments ADD owner_name character varying(63);
UPDATE environments e SET owner_name = u.name FROM users u WHERE u.id = e.user_id;
ALTER TABLE environments ALTER owner_name SET NOT NULL;

CREATE FUNCTION environment_owner_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.owner_name := (SELECT name FROM users WHERE id = NEW.user_id);
  RETURN NEW;
END $$;
CREATE TRIGGER environments_owner_name BEFORE INSERT OR UPDATE OF user_id, owner_name ON environments
  FOR EACH ROW EXECUTE FUNCTION environment_owner_name();

CREATE FUNCTION user_renamed_environments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE environments SET owner_name = NEW.name WHERE user_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER users_renamed_environments AFTER UPDATE OF name ON users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION user_renamed_environments();

CREATE INDEX ix_environments_owner_name_name ON environments (owner_name, name);
