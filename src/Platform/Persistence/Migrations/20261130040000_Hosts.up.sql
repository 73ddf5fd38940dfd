CREATE TABLE hosts (
    node character varying(200) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_hosts PRIMARY KEY (node)
);
ALTER TABLE environments ADD host character varying(200);
