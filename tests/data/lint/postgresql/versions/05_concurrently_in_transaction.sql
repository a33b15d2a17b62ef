-- Index orders by reference (but in a transaction)
--
-- Revision ID: pg05
-- Revises:

-- migrate:upgrade
CREATE UNIQUE INDEX CONCURRENTLY ix_orders_reference ON orders (reference);

-- migrate:downgrade
DROP INDEX ix_orders_reference;
