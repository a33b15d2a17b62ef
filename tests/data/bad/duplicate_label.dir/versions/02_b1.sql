-- Revision b1
--
-- Revision ID: b1
-- Revises: a1
-- Create Date: 2026-05-01 09:00:00
-- Branch Labels: feature

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
