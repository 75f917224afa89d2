-- The newsroom media library: who uploaded an image, and the resized copies served in
-- `srcset`. Imported and demo photos have no uploader and no variants.
ALTER TABLE media ADD COLUMN uploaded_by BIGINT REFERENCES users(id);

CREATE TABLE media_variants (
    media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    width    BIGINT NOT NULL,
    height   BIGINT NOT NULL,
    format   TEXT NOT NULL CHECK (format IN ('webp', 'jpeg')),
    file     TEXT NOT NULL,
    PRIMARY KEY (media_id, format, width)
);

-- The library lists the newest uploads first.
CREATE INDEX media_by_created ON media (created_at DESC, id DESC);
