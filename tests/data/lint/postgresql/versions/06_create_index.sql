-- Index orders by creation time
--
-- Revision ID: pg06
-- Revises:

-- migrate:upgrade
CREATE INDEX ix_orders_created_at
    ON orders USING btree (created_at);

-- migrate:downgrade
DROP INDEX CONCURRENTLY ix_orders_created_at;
