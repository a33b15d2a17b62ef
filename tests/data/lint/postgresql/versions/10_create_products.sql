-- Create products
--
-- Revision ID: pg10
-- Revises:

-- migrate:upgrade
CREATE TABLE products (
    id bigint PRIMARY KEY,
    name varchar(255) NOT NULL,
    code character varying(20),
    price numeric(10, 2),
    qty integer,
    notes text
);

-- migrate:downgrade
DROP TABLE products;
