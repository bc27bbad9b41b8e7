-- Indexes only the local engine needs. Redshift has none: its sort keys and zone maps let a merge
-- or a gate read the blocks of one day's keys. PostgreSQL without an index reads the whole table
-- for each of them, so a nightly run would cost as much as a full rebuild. Each index serves a
-- lookup by the keys a run staged: the merges' DELETE … USING, insert_time's NOT EXISTS, and the
-- gates in check_quality.sql. None on songplays.songplay_id: keeping an index of random MD5s cost
-- a full run's songplays insert more than the gates' lookups by id gained (bench:explain).
-- Statistics on the trimmed title and artist name collect_run_plays.sql matches plays to songs on:
-- without them the planner guesses 200 distinct values, judges a hash join skewed and sorts a
-- million events by text instead. The ANALYZE after each COPY fills them in. The catalogue's are
-- the hashed side's, and are sampled at 30,000 rows (statistics target 100) whatever the small
-- sample of that ANALYZE: from 3,000 songs of 20,000 the planner still chose the sort in most
-- runs on a server (song match 2.8 s against 4.1 s), from 30,000 in none.
-- Created after a batch that created tables or inserted rows, for each table that exists with the
-- index's columns: a test's own table of the same name is left alone. An index waits until its
-- table holds rows, then is built over them at once: the full run that fills time from empty added
-- its 666,127 times in hash order, one index entry at a time, which cost more than the insert itself
-- (bench:explain); building the index afterwards sorts them once. Each object is looked up in the
-- catalogue before it is created, so a warehouse that has them all takes no lock; the size of a
-- table is read from its file, not its rows, so no serializable transaction reads the table.
DO $$
DECLARE
    wanted RECORD;
BEGIN
    FOR wanted IN
        SELECT * FROM (VALUES
            ('index', 'songplays_play_key_local', 'songplays', ARRAY['user_id', 'session_id', 'item_in_session'], NULL),
            ('index', 'time_start_time_local', 'time', ARRAY['start_time'], NULL),
            ('index', 'users_user_id_local', 'users', ARRAY['user_id'], NULL),
            ('index', 'user_latest_events_user_id_local', 'user_latest_events', ARRAY['user_id'], NULL),
            ('index', 'songs_song_id_local', 'songs', ARRAY['song_id'], NULL),
            ('index', 'artists_artist_id_local', 'artists', ARRAY['artist_id'], NULL),
            ('trimmed statistics', 'staging_songs_match_local', 'staging_songs', ARRAY['title', 'artist_name'], 100),
            ('trimmed statistics', 'staging_events_match_local', 'staging_events', ARRAY['song', 'artist'], NULL)
        ) AS wanted_objects (kind, object_name, table_name, columns, statistics_target)
    LOOP
        IF (SELECT COUNT(*) FROM pg_attribute
            WHERE attrelid = to_regclass(wanted.table_name) AND NOT attisdropped
              AND attname = ANY (wanted.columns)) = cardinality(wanted.columns) THEN
            IF wanted.kind = 'index' THEN
                IF to_regclass(wanted.object_name) IS NULL AND pg_relation_size(to_regclass(wanted.table_name)) > 0 THEN
                    EXECUTE format('CREATE INDEX %I ON %I (%s)', wanted.object_name, wanted.table_name,
                                   (SELECT string_agg(quote_ident(col), ', ') FROM unnest(wanted.columns) AS col));
                END IF;
            ELSE
                IF NOT EXISTS (SELECT 1 FROM pg_statistic_ext
                               WHERE stxname = wanted.object_name
                                 AND stxnamespace = (SELECT relnamespace FROM pg_class
                                                     WHERE oid = to_regclass(wanted.table_name))) THEN
                    EXECUTE format('CREATE STATISTICS %I ON %s FROM %I', wanted.object_name,
                                   (SELECT string_agg(format('(RTRIM(%I))', col), ', ') FROM unnest(wanted.columns) AS col),
                                   wanted.table_name);
                END IF;
                IF wanted.statistics_target IS NOT NULL AND EXISTS (
                       SELECT 1 FROM pg_statistic_ext
                       WHERE stxname = wanted.object_name
                         AND stxnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass(wanted.table_name))
                         AND stxstattarget IS DISTINCT FROM wanted.statistics_target) THEN
                    EXECUTE format('ALTER STATISTICS %I SET STATISTICS %s', wanted.object_name, wanted.statistics_target);
                END IF;
            END IF;
        END IF;
    END LOOP;
END
$$;
