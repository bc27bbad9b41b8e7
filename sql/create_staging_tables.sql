-- Staging tables: raw rows exactly as COPY loads them. Created only if missing, never dropped, so an
-- incremental run on a new warehouse works and one on an old warehouse keeps the song catalogue.

-- Column ORDER must follow log_json_path.json: a JSONPaths COPY maps the n-th path to the n-th column.
-- user_id stays text because logged-out events carry "" there; the transforms cast it.
-- DISTKEY(song) and staging_songs' DISTKEY(title) put a play and its candidate songs on one slice,
-- so the songplays match joins without redistribution.
CREATE TABLE IF NOT EXISTS staging_events (
    artist          VARCHAR(512),
    auth            VARCHAR(32),
    first_name      VARCHAR(256),
    gender          VARCHAR(16),
    item_in_session INTEGER         NOT NULL,
    last_name       VARCHAR(256),
    length          DOUBLE PRECISION,
    level           VARCHAR(16),
    location        VARCHAR(512),
    method          VARCHAR(16),
    page            VARCHAR(64)     NOT NULL,
    registration    DOUBLE PRECISION,
    session_id      INTEGER         NOT NULL,
    song            VARCHAR(512),
    status          INTEGER,
    ts              TIMESTAMP       NOT NULL,
    user_agent      VARCHAR(1024),
    user_id         VARCHAR(32)
) DISTKEY (song);

-- Loaded with JSON 'auto': column names must equal the song objects' keys, which are lower-case.
CREATE TABLE IF NOT EXISTS staging_songs (
    artist_id        VARCHAR(32)    NOT NULL,
    artist_latitude  DOUBLE PRECISION,
    artist_location  VARCHAR(512),
    artist_longitude DOUBLE PRECISION,
    artist_name      VARCHAR(512)   NOT NULL,
    duration         DOUBLE PRECISION,
    num_songs        INTEGER,
    song_id          VARCHAR(32)    NOT NULL,
    title            VARCHAR(512)   NOT NULL,
    year             INTEGER
) DISTKEY (title);
