-- Feature table
--
-- Revision ID: f1
-- Revises: 
-- Create Date: 2026-03-01 09:00:00
-- Branch Labels: feat
-- Depends On: core

-- migrate:upgrade
CREATE TABLE t_f1 (id INTEGER PRIMARY KEY, c1_id INTEGER REFERENCES t_c1 (id));

-- migrate:downgrade
DROP TABLE t_f1;
