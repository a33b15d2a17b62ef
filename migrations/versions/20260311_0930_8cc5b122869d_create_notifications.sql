-- Create notifications
--
-- Revision ID: 8cc5b122869d
-- Revises: 041584a9edb9
-- Create Date: 2026-03-11 09:30:00
-- Branch Labels: notifications

-- migrate:upgrade
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel VARCHAR(16) NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    subject VARCHAR(200) NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    sent_at TIMESTAMP
);

CREATE INDEX ix_notifications_user_id ON notifications (user_id);
CREATE INDEX ix_notifications_sent_at ON notifications (sent_at);

-- migrate:downgrade
DROP INDEX ix_notifications_sent_at;
DROP INDEX ix_notifications_user_id;
DROP TABLE notifications;
