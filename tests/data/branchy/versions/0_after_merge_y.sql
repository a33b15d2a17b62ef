-- After the merge y
--
-- Revision ID: y1
-- Revises: m1
-- Create Date: 2026-02-05 09:00:00

-- migrate:upgrade
CREATE TABLE t_y1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_y1;
