-- Merge alpha and beta
--
-- Revision ID: m1
-- Revises: a2, b2
-- Create Date: 2026-02-04 09:00:00

-- migrate:upgrade

-- migrate:downgrade
