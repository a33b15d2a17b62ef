-- Revision e1
--
-- Revision ID: e1
-- Revises: a1
-- Create Date: 2026-05-01 09:00:00
-- Branch Labels: current

-- migrate:upgrade
CREATE TABLE t_e1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_e1;
