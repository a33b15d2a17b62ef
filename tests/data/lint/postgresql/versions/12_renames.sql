-- Rename customers to clients
--
-- Revision ID: pg12
-- Revises:

-- migrate:upgrade
ALTER TABLE customers RENAME TO clients;
ALTER TABLE clients RENAME COLUMN fullname TO name;

-- migrate:downgrade
ALTER TABLE clients RENAME name TO fullname;
ALTER TABLE clients RENAME TO customers;
