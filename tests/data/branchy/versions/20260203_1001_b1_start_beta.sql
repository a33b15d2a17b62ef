-- Start beta
--
-- Revision ID: b1
-- Revises: t2
-- Create Date: 2026-02-03 10:01:00
-- Branch Labels: beta

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
