-- Revision r0
--
-- Revision ID: r0
-- Revises: 
-- Create Date: 2026-05-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_r0 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_r0;
