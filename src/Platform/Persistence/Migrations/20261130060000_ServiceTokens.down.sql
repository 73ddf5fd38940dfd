DROP INDEX ix_api_tokens_service_id;
ALTER TABLE api_tokens DROP CONSTRAINT fk_api_tokens_shared_services_service_id;
ALTER TABLE api_tokens DROP COLUMN service_id;
