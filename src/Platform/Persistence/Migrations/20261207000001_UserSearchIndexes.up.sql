-- The user list's search (q: name or display name contains, case-insensitively) as trigram index scans instead of an
-- ILIKE over every user. pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_users_name_trgm ON users USING gin (name gin_trgm_ops);
CREATE INDEX ix_users_display_name_trgm ON users USING gin (display_name gin_trgm_ops);
