-- Build an index concurrently
--
-- Revision ID: conc01
-- Revises: a1, b2
-- Branch Labels: fast-path, idx_2
-- Depends On: core, c2
-- Transaction: none
-- Create Date: 2026-01-02 11:00:00

-- migrate:upgrade
CREATE INDEX CONCURRENTLY i ON t (a);
