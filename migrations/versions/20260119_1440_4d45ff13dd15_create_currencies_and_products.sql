-- Create currencies and products
--
-- Revision ID: 4d45ff13dd15
-- Revises: c12435d869e2
-- Create Date: 2026-01-19 14:40:00

-- migrate:upgrade
CREATE TABLE currencies (
    code CHAR(3) PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    minor_units INTEGER NOT NULL DEFAULT 2
);

INSERT INTO currencies (code, name, minor_units) VALUES
    ('EUR', 'Euro', 2),
    ('USD', 'US dollar', 2),
    ('GBP', 'Pound sterling', 2),
    ('JPY', 'Yen', 0);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    price NUMERIC(12,2) NOT NULL CHECK (price >= 0),
    currency_code CHAR(3) NOT NULL REFERENCES currencies (code),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_products_currency_code ON products (currency_code);

-- migrate:downgrade
DROP INDEX ix_products_currency_code;
DROP TABLE products;
DELETE FROM currencies WHERE code IN ('EUR', 'USD', 'GBP', 'JPY');
DROP TABLE currencies;
