-- Revision c2
--
-- Revision ID: c2
-- Revises: c1
-- Create Date: 2026-05-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_c2 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_c2;
