DROP INDEX ix_api_tokens_parent_id;
ALTER TABLE api_tokens DROP CONSTRAINT fk_api_tokens_api_tokens_parent_id;
ALTER TABLE api_tokens DROP COLUMN parent_id;
