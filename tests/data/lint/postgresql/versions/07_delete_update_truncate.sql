-- Reset sessions and events
--
-- Revision ID: pg07
-- Revises:

-- migrate:upgrade
DELETE FROM sessions;
UPDATE users SET active = true;
TRUNCATE TABLE events CASCADE;
UPDATE users
   SET active = false
 WHERE last_seen < now() - interval '1 year';

-- migrate:downgrade
