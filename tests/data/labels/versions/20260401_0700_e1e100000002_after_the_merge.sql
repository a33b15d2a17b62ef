-- After the merge
--
-- Revision ID: e1e100000002
-- Revises: e0e000000001
-- Create Date: 2026-04-01 07:00:00

-- migrate:upgrade
CREATE TABLE t_e1e100000002 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_e1e100000002;
