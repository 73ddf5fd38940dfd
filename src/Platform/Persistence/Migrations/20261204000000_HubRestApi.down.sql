ALTER TABLE api_tokens DROP COLUMN note;
ALTER TABLE users DROP COLUMN last_activity_at;
