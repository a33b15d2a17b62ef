-- Revision a1
--
-- Revision ID: a1
-- Revises: 
-- Create Date: 2026-05-01 09:00:00
-- Depends On: b1

-- migrate:upgrade
CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_a1;
