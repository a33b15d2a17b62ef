-- Add columns to users
--
-- Revision ID: pg08
-- Revises:

-- migrate:upgrade
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE users ADD COLUMN seq bigserial;
ALTER TABLE users ADD COLUMN nickname text NOT NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS score integer DEFAULT 0 NOT NULL;
ALTER TABLE users ADD COLUMN team_id bigint REFERENCES teams (id);

-- migrate:downgrade
ALTER TABLE users DROP COLUMN team_id, DROP COLUMN score;
ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users DROP COLUMN IF EXISTS seq;
ALTER TABLE users DROP COLUMN token;
ALTER TABLE users DROP COLUMN status;
ALTER TABLE users DROP COLUMN created_at;
ALTER TABLE users DROP COLUMN email;
