ALTER TABLE profiles DROP COLUMN IF EXISTS identity_variables;
ALTER TABLE users DROP COLUMN IF EXISTS sessions_revoked_at;
ALTER TABLE audit_events DROP COLUMN IF EXISTS source_address;
DROP TABLE IF EXISTS user_identities;
DROP TABLE IF EXISTS login_attempts;
DROP TABLE IF EXISTS data_protection_keys;
