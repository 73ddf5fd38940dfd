ALTER TABLE users ADD last_activity_at timestamp with time zone;
ALTER TABLE api_tokens ADD note character varying(1000);
