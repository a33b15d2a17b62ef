-- Create trunk table
--
-- Revision ID: t1
-- Revises: 
-- Create Date: 2026-02-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_t1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_t1;
