-- Purge old events
--
-- Revision ID: lt08
-- Revises:

-- migrate:upgrade
DELETE FROM events;
UPDATE events SET archived = 1;
TRUNCATE events;
