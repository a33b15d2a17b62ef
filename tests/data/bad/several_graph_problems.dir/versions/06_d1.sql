-- Bad header
-- Revision ID: d1
-- Transaction: maybe

-- migrate:upgrade
