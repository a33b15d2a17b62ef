-- Validate the total check, in a transaction of its own
--
-- Revision ID: pg20
-- Revises: pg09

-- migrate:upgrade
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;

-- migrate:downgrade
-- retort:ignore empty-downgrade  validating has nothing to undo
