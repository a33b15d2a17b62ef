-- Base of every branch
--
-- Revision ID: ba5e00000000
-- Revises: 
-- Create Date: 2026-04-01 01:00:00
-- Branch Labels: trunk

-- migrate:upgrade
CREATE TABLE t_ba5e00000000 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_ba5e00000000;
