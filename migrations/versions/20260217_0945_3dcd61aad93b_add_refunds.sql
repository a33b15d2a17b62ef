-- Add refunds
--
-- Revision ID: 3dcd61aad93b
-- Revises: c0f44988ee9d
-- Create Date: 2026-02-17 09:45:00
-- Transaction: per-migration

-- migrate:upgrade
INSERT INTO order_statuses (code, description, is_final) VALUES
    ('refunded', 'Paid, then refunded in full', TRUE);

CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    amount NUMERIC(12,2) NOT NULL CHECK (amount > 0),
    reason VARCHAR(200),
    refunded_by INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_refunds_payment_id ON refunds (payment_id);

-- migrate:downgrade
DROP INDEX ix_refunds_payment_id;
DROP TABLE refunds;
DELETE FROM order_statuses WHERE code = 'refunded';
