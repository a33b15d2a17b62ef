-- Revision b1
--
-- Revision ID: b1
-- Revises: aa11
-- Create Date: 2026-05-01 09:00:00
-- Depends On: aa

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
