-- First on beta
--
-- Revision ID: aa2200000001
-- Revises: ba5e00000000
-- Create Date: 2026-04-01 04:00:00
-- Branch Labels: beta

-- migrate:upgrade
CREATE TABLE t_aa2200000001 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_aa2200000001;
