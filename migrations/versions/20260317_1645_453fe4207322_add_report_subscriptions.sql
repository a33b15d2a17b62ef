-- Add report subscriptions
--
-- Revision ID: 453fe4207322
-- Revises: 8cc5b122869d
-- Create Date: 2026-03-17 16:45:00
-- Depends On: dd1123f32f48

-- migrate:upgrade
-- report_code references the reports table of the reporting line, hence
-- the dependency: upgrading this line applies dd1123f32f48 first.
CREATE TABLE report_subscriptions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    report_code VARCHAR(32) NOT NULL REFERENCES reports (code),
    channel VARCHAR(16) NOT NULL DEFAULT 'email'
        CHECK (channel IN ('email', 'sms', 'push')),
    frequency VARCHAR(8) NOT NULL DEFAULT 'weekly'
        CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE UNIQUE INDEX ux_report_subscriptions_user_report
    ON report_subscriptions (user_id, report_code);

-- migrate:downgrade
DROP INDEX ux_report_subscriptions_user_report;
DROP TABLE report_subscriptions;
