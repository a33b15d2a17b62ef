-- Create audit log
--
-- Revision ID: 041584a9edb9
-- Revises: d58e11da093b
-- Create Date: 2026-03-03 11:25:00

-- migrate:upgrade
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor_id INTEGER REFERENCES users (id),
    entity VARCHAR(32) NOT NULL,
    entity_id BIGINT NOT NULL,
    action VARCHAR(16) NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    detail TEXT
);

CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);

-- migrate:downgrade
DROP INDEX ix_audit_log_occurred_at;
DROP INDEX ix_audit_log_entity;
DROP TABLE audit_log;
