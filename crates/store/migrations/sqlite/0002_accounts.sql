-- Readers' and staff accounts, the identities providers vouch for, server-side sessions, and
-- the attempt log that throttles password guessing and comment floods.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- Lower-cased; NULL for an account made by a provider that gave no address, and after
    -- the account is deleted (the row stays so kept comments can say "deleted reader").
    email         TEXT UNIQUE,
    display_name  TEXT NOT NULL,
    -- An argon2id PHC string; NULL when the reader signs in through providers only.
    password_hash TEXT,
    role          TEXT NOT NULL DEFAULT 'reader'
                  CHECK (role IN ('reader', 'reporter', 'editor', 'admin')),
    -- Comments are refused until then; the largest integer means for good.
    banned_until  INTEGER,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER
);

CREATE TABLE user_identities (
    provider   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email      TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of the database
-- cannot be replayed as anyone's session.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    -- NULL before sign-in: such a session carries only a CSRF token and a sign-in in progress.
    user_id      INTEGER REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One row per counted action (a failed password, a comment posted), by bucket and key (an
-- address or an account); counted over a sliding window and pruned as they age.
CREATE TABLE throttle_events (
    bucket TEXT NOT NULL,
    key    TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX throttle_events_key ON throttle_events (bucket, key, at);
