-- The star schema. Created only if missing: every execution starts here, and none may lose data.
-- Redshift treats the PRIMARY KEYs below as planner hints only; the insert steps de-duplicate.

-- One row per NextSong event, identified by (user_id, session_id, item_in_session).
-- songplay_id is the MD5 of that key, not an IDENTITY: reloading an event, or loading days in any
-- order, must give the same id.
-- DISTKEY(start_time) co-locates each play with its `time` row, the one dimension as large as the
-- fact; SORTKEY(start_time) lets date-range scans and the merge skip blocks.
CREATE TABLE IF NOT EXISTS songplays (
    songplay_id     CHAR(32)        NOT NULL,
    start_time      TIMESTAMP       NOT NULL,
    user_id         INTEGER         NOT NULL,
    level           VARCHAR(16),
    song_id         VARCHAR(32),
    artist_id       VARCHAR(32),
    session_id      INTEGER         NOT NULL,
    item_in_session INTEGER         NOT NULL,
    location        VARCHAR(512),
    user_agent      VARCHAR(1024),
    PRIMARY KEY (songplay_id)
) DISTKEY (start_time) SORTKEY (start_time);

-- Users, songs and artists are small and joined to every play: DISTSTYLE ALL keeps a copy on each
-- node so those joins never move the fact table. Each sorts on its key for merge lookups.
CREATE TABLE IF NOT EXISTS users (
    user_id    INTEGER      NOT NULL,
    first_name VARCHAR(256),
    last_name  VARCHAR(256),
    gender     VARCHAR(16),
    level      VARCHAR(16),
    PRIMARY KEY (user_id)
) DISTSTYLE ALL SORTKEY (user_id);

-- The event each users row was taken from. users.level changes over time, so a merge must know
-- whether a staged event is newer than the one already applied; this table remembers that without
-- adding columns to users.
CREATE TABLE IF NOT EXISTS user_latest_events (
    user_id         INTEGER      NOT NULL,
    ts              TIMESTAMP    NOT NULL,
    item_in_session INTEGER      NOT NULL,
    first_name      VARCHAR(256),
    last_name       VARCHAR(256),
    gender          VARCHAR(16),
    level           VARCHAR(16),
    PRIMARY KEY (user_id)
) DISTSTYLE ALL SORTKEY (user_id);

CREATE TABLE IF NOT EXISTS songs (
    song_id   VARCHAR(32)  NOT NULL,
    title     VARCHAR(512) NOT NULL,
    artist_id VARCHAR(32)  NOT NULL,
    year      INTEGER,
    duration  DOUBLE PRECISION,
    PRIMARY KEY (song_id)
) DISTSTYLE ALL SORTKEY (song_id);

CREATE TABLE IF NOT EXISTS artists (
    artist_id VARCHAR(32)  NOT NULL,
    name      VARCHAR(512) NOT NULL,
    location  VARCHAR(512),
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
) DISTSTYLE ALL SORTKEY (artist_id);

-- As many rows as distinct play times: distributed like songplays so the join stays node-local.
CREATE TABLE IF NOT EXISTS time (
    start_time TIMESTAMP NOT NULL,
    hour       SMALLINT  NOT NULL,
    day        SMALLINT  NOT NULL,
    week       SMALLINT  NOT NULL,
    month      SMALLINT  NOT NULL,
    year       SMALLINT  NOT NULL,
    weekday    SMALLINT  NOT NULL,
    PRIMARY KEY (start_time)
) DISTKEY (start_time) SORTKEY (start_time);
