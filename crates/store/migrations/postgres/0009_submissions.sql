-- The newsroom's hand-off: a reporter submits a draft for editing and it waits here, one row
-- per story, until an editor publishes, schedules or sends it back. A row of its own rather
-- than a column of `stories`, so the reader side's queries never see it.
CREATE TABLE story_submissions (
    story_id     BIGINT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    submitted_by BIGINT REFERENCES users(id),
    submitted_at BIGINT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);

-- The audit page's filters: one person's actions, or one kind of action, newest first.
CREATE INDEX audit_log_user ON audit_log (user_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
