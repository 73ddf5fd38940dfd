DROP INDEX ix_environments_profile_name;
DROP INDEX ix_environments_group_name;
ALTER TABLE environments DROP image, DROP size, DROP bundles, DROP url;
