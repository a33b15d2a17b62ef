-- m
-- Revision ID: b1
-- Revises: a1, x.y

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
