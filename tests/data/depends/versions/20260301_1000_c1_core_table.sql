-- Core table
--
-- Revision ID: c1
-- Revises: 
-- Create Date: 2026-03-01 10:00:00
-- Branch Labels: core

-- migrate:upgrade
CREATE TABLE t_c1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_c1;
