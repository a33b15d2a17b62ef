-- Create reports
--
-- Revision ID: dd1123f32f48
-- Revises: 041584a9edb9
-- Create Date: 2026-03-10 14:00:00
-- Branch Labels: reporting

-- migrate:upgrade
CREATE TABLE reports (
    code VARCHAR(32) PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    description TEXT
);

INSERT INTO reports (code, title, description) VALUES
    ('order_totals', 'Order totals', 'Item count and value of every order'),
    ('open_orders', 'Open orders', 'Orders neither delivered nor cancelled'),
    ('refunds', 'Refunds', 'Refunded payments with their reasons');

CREATE VIEW order_totals AS
SELECT o.id AS order_id,
       o.account_id,
       o.currency_code,
       COUNT(oi.id) AS item_count,
       COALESCE(SUM(oi.quantity * oi.unit_price), 0) AS items_total
FROM orders o
LEFT JOIN order_items oi ON oi.order_id = o.id
GROUP BY o.id, o.account_id, o.currency_code;

-- migrate:downgrade
DROP VIEW order_totals;
DELETE FROM reports WHERE code IN ('order_totals', 'open_orders', 'refunds');
DROP TABLE reports;
