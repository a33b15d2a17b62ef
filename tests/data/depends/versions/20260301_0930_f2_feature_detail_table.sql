-- Feature detail table
--
-- Revision ID: f2
-- Revises: f1
-- Create Date: 2026-03-01 09:30:00
-- Depends On: c2

-- migrate:upgrade
CREATE TABLE t_f2 (id INTEGER PRIMARY KEY, c2_id INTEGER REFERENCES t_c2 (id));

-- migrate:downgrade
DROP TABLE t_f2;
