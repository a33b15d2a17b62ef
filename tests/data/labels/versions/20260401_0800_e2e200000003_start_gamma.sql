-- Start gamma
--
-- Revision ID: e2e200000003
-- Revises: e1e100000002
-- Create Date: 2026-04-01 08:00:00
-- Branch Labels: gamma

-- migrate:upgrade
CREATE TABLE t_e2e200000003 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_e2e200000003;
