-- Conditional changes in a DO block
--
-- Revision ID: pg19
-- Revises:

-- migrate:upgrade
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'old_cache') THEN
        DROP TABLE old_cache;
    END IF;
    DELETE FROM sessions WHERE expires_at < now();
END
$$;
ALTER TABLE "Users" DROP COLUMN "Email";

-- migrate:downgrade
ALTER TABLE "Users" ADD COLUMN "Email" text;
