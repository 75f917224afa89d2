-- The newsroom's history: every save of a story, whole, with who made it (for differences
-- and restores), and a log of publishing actions.

CREATE TABLE story_revisions (
    story_id  INTEGER NOT NULL REFERENCES stories(id),
    revision  INTEGER NOT NULL,
    author_id INTEGER REFERENCES users(id),
    saved_at  INTEGER NOT NULL,
    status    TEXT NOT NULL,
    -- The story as its writer set it (a StoryInput as JSON).
    snapshot  TEXT NOT NULL,
    PRIMARY KEY (story_id, revision)
);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    -- NULL for the scheduler and other work no person did at that moment.
    user_id  INTEGER REFERENCES users(id),
    -- created, published, scheduled, unpublished, returned to draft, restored
    action   TEXT NOT NULL,
    story_id INTEGER REFERENCES stories(id),
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_story ON audit_log (story_id, at);

-- The scheduler's scan: scheduled stories by publication time.
CREATE INDEX stories_due ON stories (status, published_at);
