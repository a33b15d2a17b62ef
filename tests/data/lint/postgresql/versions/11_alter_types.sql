-- Change product column types
--
-- Revision ID: pg11
-- Revises: pg10

-- migrate:upgrade
ALTER TABLE products ALTER COLUMN name TYPE varchar(100);
ALTER TABLE products ALTER COLUMN code TYPE varchar(40);
ALTER TABLE products ALTER COLUMN notes SET DATA TYPE text;
ALTER TABLE products ALTER COLUMN price TYPE numeric(12, 2);
ALTER TABLE products ALTER COLUMN qty TYPE bigint;
ALTER TABLE products ALTER COLUMN description TYPE varchar(50);

-- migrate:downgrade
ALTER TABLE products ALTER COLUMN qty TYPE integer;
ALTER TABLE products ALTER COLUMN price TYPE numeric(10, 2);
ALTER TABLE products ALTER COLUMN code TYPE varchar(20);
ALTER TABLE products ALTER COLUMN name TYPE varchar(255);
