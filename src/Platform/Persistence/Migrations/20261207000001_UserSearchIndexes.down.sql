DROP INDEX ix_users_display_name_trgm;
DROP INDEX ix_users_name_trgm;
