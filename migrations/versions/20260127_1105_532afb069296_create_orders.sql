-- Create orders
--
-- Revision ID: 532afb069296
-- Revises: 4d45ff13dd15
-- Create Date: 2026-01-27 11:05:00

-- migrate:upgrade
CREATE TABLE order_statuses (
    code VARCHAR(16) PRIMARY KEY,
    description VARCHAR(100) NOT NULL,
    is_final BOOLEAN NOT NULL DEFAULT FALSE
);

INSERT INTO order_statuses (code, description, is_final) VALUES
    ('pending', 'Placed, awaiting payment', FALSE),
    ('paid', 'Paid, awaiting shipment', FALSE),
    ('shipped', 'Handed to the carrier', FALSE),
    ('delivered', 'Delivered to the customer', TRUE),
    ('cancelled', 'Cancelled before shipment', TRUE);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    placed_by INTEGER REFERENCES users (id),
    status VARCHAR(16) NOT NULL DEFAULT 'pending' REFERENCES order_statuses (code),
    currency_code CHAR(3) NOT NULL REFERENCES currencies (code),
    total NUMERIC(12,2) NOT NULL DEFAULT 0,
    placed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_orders_account_id ON orders (account_id);
CREATE INDEX ix_orders_status ON orders (status);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(12,2) NOT NULL
);

CREATE INDEX ix_order_items_order_id ON order_items (order_id);

-- migrate:downgrade
DROP INDEX ix_order_items_order_id;
DROP TABLE order_items;
DROP INDEX ix_orders_status;
DROP INDEX ix_orders_account_id;
DROP TABLE orders;
DELETE FROM order_statuses
    WHERE code IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled');
DROP TABLE order_statuses;
