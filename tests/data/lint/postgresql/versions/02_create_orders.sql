-- Create orders, its index and keys in one go
--
-- Revision ID: pg02
-- Revises:

-- migrate:upgrade
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint,
    reference varchar(40),
    total numeric(12, 2) NOT NULL DEFAULT 0,
    qty integer,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- A new table is empty and unused: none of these take a long lock.
CREATE INDEX ix_orders_user_id ON orders (user_id);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk
    FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE orders ADD COLUMN note text NOT NULL;

-- migrate:downgrade
DROP TABLE orders;
