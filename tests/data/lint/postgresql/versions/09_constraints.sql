-- Keys and checks on orders
--
-- Revision ID: pg09
-- Revises:

-- migrate:upgrade
ALTER TABLE orders ADD CONSTRAINT orders_user_fk
    FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;
ALTER TABLE orders ADD CONSTRAINT orders_reference_key UNIQUE (reference);
ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE USING INDEX ix_orders_ref;
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE orders ADD CHECK (qty > 0);

-- migrate:downgrade
ALTER TABLE orders DROP CONSTRAINT orders_qty_check;
ALTER TABLE orders ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_ref_key;
ALTER TABLE orders DROP CONSTRAINT orders_reference_key;
ALTER TABLE orders DROP CONSTRAINT orders_total_check;
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
