-- Add product search text
--
-- Revision ID: 2b604fab0cca
-- Revises: 1060bd4a72be
-- Create Date: 2026-02-19 13:10:00

-- migrate:upgrade
ALTER TABLE products ADD COLUMN search_text TEXT;
UPDATE products SET search_text = LOWER(sku || ' ' || name);
CREATE INDEX ix_products_search_text ON products (search_text);

-- migrate:downgrade
DROP INDEX ix_products_search_text;
ALTER TABLE products DROP COLUMN search_text;
