-- Create payments
--
-- Revision ID: c0f44988ee9d
-- Revises: acb6fdd1c7db
-- Create Date: 2026-02-10 10:00:00
-- Branch Labels: billing

-- migrate:upgrade
CREATE TABLE payment_methods (
    code VARCHAR(16) PRIMARY KEY,
    description VARCHAR(100) NOT NULL
);

INSERT INTO payment_methods (code, description) VALUES
    ('card', 'Credit or debit card'),
    ('transfer', 'Bank transfer'),
    ('invoice', 'Pay on invoice');

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    method VARCHAR(16) NOT NULL REFERENCES payment_methods (code),
    amount NUMERIC(12,2) NOT NULL CHECK (amount > 0),
    currency_code CHAR(3) NOT NULL REFERENCES currencies (code),
    provider_ref VARCHAR(64),
    captured_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_payments_order_id ON payments (order_id);

-- migrate:downgrade
DROP INDEX ix_payments_order_id;
DROP TABLE payments;
DELETE FROM payment_methods WHERE code IN ('card', 'transfer', 'invoice');
DROP TABLE payment_methods;
