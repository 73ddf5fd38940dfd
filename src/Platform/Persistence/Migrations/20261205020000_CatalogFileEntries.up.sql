CREATE TABLE catalog_file_entries (
    resource_type character varying(16) NOT NULL,
    name character varying(64) NOT NULL,
    file character varying(255) NOT NULL,
    fingerprint character varying(64) NOT NULL,
    applied_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_catalog_file_entries PRIMARY KEY (resource_type, name)
);
