-- Create categories
--
-- Revision ID: 1060bd4a72be
-- Revises: acb6fdd1c7db
-- Create Date: 2026-02-12 15:30:00
-- Branch Labels: catalog

-- migrate:upgrade
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories (id),
    slug VARCHAR(64) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL
);

CREATE TABLE product_categories (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, category_id)
);

CREATE INDEX ix_product_categories_category_id
    ON product_categories (category_id);

-- migrate:downgrade
DROP INDEX ix_product_categories_category_id;
DROP TABLE product_categories;
DROP TABLE categories;
