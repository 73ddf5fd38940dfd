ALTER TABLE api_tokens ADD parent_id bigint;
ALTER TABLE api_tokens ADD CONSTRAINT fk_api_tokens_api_tokens_parent_id FOREIGN KEY (parent_id) REFERENCES api_tokens (id) ON DELETE CASCADE;
CREATE INDEX ix_api_tokens_parent_id ON api_tokens (parent_id);
