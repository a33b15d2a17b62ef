-- Revision aa11
--
-- Revision ID: aa11
-- Revises: 
-- Create Date: 2026-05-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_aa11 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_aa11;
