-- Readers' comments, their reports, and each story's comment settings.

-- open: comments appear at once; premoderated: each waits for an editor; closed: none taken.
ALTER TABLE stories ADD COLUMN comments_mode TEXT NOT NULL DEFAULT 'open'
    CHECK (comments_mode IN ('open', 'premoderated', 'closed'));
-- Visible comments, kept with the story so lists show counts without counting.
ALTER TABLE stories ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    story_id     INTEGER NOT NULL REFERENCES stories(id),
    -- The writer's account; its row stays (anonymised) when the account is deleted.
    user_id      INTEGER NOT NULL REFERENCES users(id),
    -- One level of replies: a reply's parent is never itself a reply.
    parent_id    INTEGER REFERENCES comments(id),
    body         TEXT NOT NULL,
    -- visible, held (waiting for an editor), hidden (by an editor), deleted (by its writer).
    status       TEXT NOT NULL CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
    -- Why a comment was held: "link", "word", "premoderated".
    held_reason  TEXT,
    created_at   INTEGER NOT NULL,
    edited_at    INTEGER,
    moderated_by INTEGER REFERENCES users(id),
    moderated_at INTEGER
);
CREATE INDEX comments_story ON comments (story_id, parent_id, created_at);
CREATE INDEX comments_status ON comments (status, created_at);
CREATE INDEX comments_user ON comments (user_id);

CREATE TABLE comment_reports (
    comment_id  INTEGER NOT NULL REFERENCES comments(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER,
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_reports_open ON comment_reports (resolved_at, created_at);
