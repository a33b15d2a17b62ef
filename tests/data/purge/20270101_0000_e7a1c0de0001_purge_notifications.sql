-- Purge notifications
--
-- Revision ID: e7a1c0de0001
-- Revises: 8cc5b122869d
-- Create Date: 2027-01-01 00:00:00

-- migrate:upgrade
UPDATE notifications SET sent_at = NULL;
DELETE FROM notifications;

-- migrate:downgrade
SELECT 1;
