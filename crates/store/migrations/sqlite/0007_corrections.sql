-- Corrections: dated notes an editor appends to a published story, shown at its foot.

CREATE TABLE story_corrections (
    id        INTEGER PRIMARY KEY,
    story_id  INTEGER NOT NULL REFERENCES stories(id),
    at        INTEGER NOT NULL,
    text      TEXT NOT NULL,
    editor_id INTEGER REFERENCES users(id)
);
CREATE INDEX story_corrections_story ON story_corrections (story_id, at);
