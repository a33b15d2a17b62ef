-- Add a table
-- Revison ID: b1
-- Revision ID: b1

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
