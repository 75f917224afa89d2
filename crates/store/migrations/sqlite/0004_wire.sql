-- Wire ingest: the last version of each agency item that became a story, so that the same
-- copy arriving again is skipped and only a newer version updates the story.
CREATE TABLE wire_items (
    -- The agency's id for the item (ninjs uri, RSS guid or link, Atom id).
    guid        TEXT PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories(id),
    -- The agency's version label (ninjs), when it had one.
    version     TEXT,
    -- The item's update time, else its publication time (microseconds, UTC), when known.
    updated_at  INTEGER,
    ingested_at INTEGER NOT NULL
);
CREATE INDEX wire_items_story ON wire_items (story_id);
