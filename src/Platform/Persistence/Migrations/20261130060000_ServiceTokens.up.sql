ALTER TABLE api_tokens ADD service_id uuid;
ALTER TABLE api_tokens ADD CONSTRAINT fk_api_tokens_shared_services_service_id FOREIGN KEY (service_id) REFERENCES shared_services (id) ON DELETE CASCADE;
CREATE INDEX ix_api_tokens_service_id ON api_tokens (service_id);
