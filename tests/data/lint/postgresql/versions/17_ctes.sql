-- Archive events through data-modifying CTEs
--
-- Revision ID: pg17
-- Revises:

-- migrate:upgrade
WITH moved AS (DELETE FROM events RETURNING *)
INSERT INTO events_archive SELECT * FROM moved;
WITH banned AS (SELECT id FROM users WHERE banned)
DELETE FROM sessions WHERE user_id IN (SELECT id FROM banned);
WITH recent AS (SELECT 1)
UPDATE counters SET n = 0;

-- migrate:downgrade
INSERT INTO events SELECT * FROM events_archive WHERE archived_at > now() - interval '1 day';
