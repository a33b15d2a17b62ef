-- Second trunk table
--
-- Revision ID: t2
-- Revises: t1
-- Create Date: 2026-02-02 09:00:00

-- migrate:upgrade
CREATE TABLE t_t2 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_t2;
