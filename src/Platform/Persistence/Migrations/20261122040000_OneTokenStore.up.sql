-- The hub protocol's tokens move into the one token store: api_tokens gains a kind (Personal, Server,
-- OAuth, Code), the environment a hub token belongs to and the session it was issued in.
ALTER TABLE api_tokens ADD kind character varying(16) NOT NULL DEFAULT 'Personal';
ALTER TABLE api_tokens ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE api_tokens ADD environment_id uuid;
ALTER TABLE api_tokens ADD session_id character varying(64);
ALTER TABLE api_tokens ALTER COLUMN name DROP NOT NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at DROP NOT NULL;
ALTER TABLE api_tokens ADD CONSTRAINT ck_api_tokens_personal_named_and_expiring CHECK (kind <> 'Personal' OR (name IS NOT NULL AND expires_at IS NOT NULL));
ALTER TABLE api_tokens ADD CONSTRAINT fk_api_tokens_environments_environment_id FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE;
CREATE INDEX ix_api_tokens_environment_id ON api_tokens (environment_id);
-- Running environments keep working: their tokens move over (the secrets were never stored, so no prefix).
INSERT INTO api_tokens (kind, user_id, hash, prefix, scopes, environment_id, session_id, created_at, expires_at)
SELECT kind, user_id, hash, '', scopes, environment_id, session_id, created_at, expires_at FROM hub_tokens;
DROP TABLE hub_tokens;
