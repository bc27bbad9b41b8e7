-- One row per distinct play time, added only for the times of this run's plays (run_times, from
-- collect_run_plays.sql): the cost follows the new data. DATE_PART(week) is the ISO 8601 week and DATE_PART(dow) counts from 0 = Sunday in
-- both Redshift and PostgreSQL. DATE_PART, not EXTRACT: both give whole numbers for these parts,
-- and PostgreSQL's EXTRACT computes each one as a NUMERIC, DATE_PART as a DOUBLE, which costs a
-- full run's time rows less; the SMALLINT columns take either.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       DATE_PART('hour', start_time),
       DATE_PART('day', start_time),
       DATE_PART('week', start_time),
       DATE_PART('month', start_time),
       DATE_PART('year', start_time),
       DATE_PART('dow', start_time)
FROM run_times plays
WHERE NOT EXISTS (SELECT 1 FROM time known WHERE known.start_time = plays.start_time);
