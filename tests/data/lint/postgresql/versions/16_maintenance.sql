-- Maintenance that should not be in a migration
--
-- Revision ID: pg16
-- Revises:

-- migrate:upgrade
VACUUM FULL events;
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
REINDEX TABLE users;
CLUSTER users USING users_pkey;
DROP SCHEMA archive CASCADE;

-- migrate:downgrade
REINDEX TABLE CONCURRENTLY users;
CREATE SCHEMA archive;
