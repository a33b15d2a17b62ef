-- m
-- Revision ID: b-1
-- Transaction: maybe
-- Branch Labels: base
-- Reviewed By: someone

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;

-- migrate:upgrade
