-- Merge alpha and beta
--
-- Revision ID: e0e000000001
-- Revises: ac1100000002, bd2200000002
-- Create Date: 2026-04-01 06:00:00

-- migrate:upgrade

-- migrate:downgrade
