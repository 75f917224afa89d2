-- The JSON API: tokens admins make for newsroom integrations, and the orders its lists page
-- through.

-- Only the token's SHA-256 is kept, as with sessions: a copy of the database holds nothing a
-- client could present. The row stays after revocation so the list shows what was revoked
-- and when, and writes made with it stay attributed.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    -- The admin who made it; writes through the API are theirs in revisions and the audit log.
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- The API lists stories newest first by publication time (creation time for stories never
-- published), ties broken by id: a keyset a cursor can resume from in one index range scan.
CREATE INDEX stories_api_order ON stories ((COALESCE(published_at, created_at)) DESC, id DESC);
-- "What changed since" is how integrations keep up.
CREATE INDEX stories_modified ON stories (modified_at);
