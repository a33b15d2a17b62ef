-- Merge billing and catalog
--
-- Revision ID: d58e11da093b
-- Revises: 3dcd61aad93b, 2b604fab0cca
-- Create Date: 2026-02-24 10:00:00

-- migrate:upgrade

-- migrate:downgrade
