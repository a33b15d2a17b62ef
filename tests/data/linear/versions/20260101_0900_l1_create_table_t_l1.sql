-- Create table t_l1
--
-- Revision ID: l1
-- Revises: 
-- Create Date: 2026-01-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_l1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_l1;
