CREATE TABLE ended_sessions (
    session_id character varying(64) NOT NULL,
    user_id bigint NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_ended_sessions PRIMARY KEY (session_id),
    CONSTRAINT fk_ended_sessions_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_ended_sessions_user_id ON ended_sessions (user_id);
