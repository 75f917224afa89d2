-- The content model: sections, tags, sources, media, stories, and the change feed.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES sections(id),
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL,
    description TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX sections_sibling_slug ON sections (COALESCE(parent_id, 0), slug);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE sources (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('wire', 'staff'))
);

CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    file       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    caption    TEXT NOT NULL,
    credit     TEXT,
    alt        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE stories (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('article', 'gallery')),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    headline         TEXT NOT NULL,
    headline_key     TEXT NOT NULL,
    section_id       INTEGER NOT NULL REFERENCES sections(id),
    language         TEXT NOT NULL,
    slug             TEXT NOT NULL,
    lead_media_id    INTEGER REFERENCES media(id),
    related_story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,
    related_after    INTEGER,
    published_at     INTEGER,
    updated_at       INTEGER,
    revision         INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    modified_at      INTEGER NOT NULL,
    -- The long text last: SQLite stores a row's columns in order, so every other column
    -- (all a list of cards needs) is read without walking the body's overflow pages.
    deck             TEXT,
    body             TEXT NOT NULL
);
CREATE INDEX stories_by_status_time ON stories (status, published_at DESC);
CREATE INDEX stories_by_headline ON stories (headline_key, status);

CREATE TABLE story_sections (
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    listed_at  INTEGER,
    PRIMARY KEY (story_id, section_id)
);
CREATE INDEX story_sections_listing ON story_sections (section_id, listed_at DESC, story_id DESC);

CREATE TABLE story_tags (
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags(id),
    position  INTEGER NOT NULL,
    listed_at INTEGER,
    PRIMARY KEY (story_id, tag_id)
);
CREATE INDEX story_tags_listing ON story_tags (tag_id, listed_at DESC, story_id DESC);

CREATE TABLE story_sources (
    story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    position  INTEGER NOT NULL,
    listed_at INTEGER,
    PRIMARY KEY (story_id, source_id)
);
CREATE INDEX story_sources_listing ON story_sources (source_id, listed_at DESC, story_id DESC);

CREATE TABLE gallery_items (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    media_id INTEGER NOT NULL REFERENCES media(id),
    PRIMARY KEY (story_id, position)
);

CREATE TABLE link_refs (
    story_id     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('more_in', 'related')),
    position     INTEGER NOT NULL,
    headline     TEXT NOT NULL,
    headline_key TEXT NOT NULL,
    PRIMARY KEY (story_id, kind, position)
);

-- The change feed (an outbox): every write appends here in its own transaction.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    story_id    INTEGER,
    section_id  INTEGER,
    data        TEXT NOT NULL DEFAULT '{}'
);
