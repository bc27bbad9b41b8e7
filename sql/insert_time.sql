-- One row per distinct play time, added only for the times of this run's plays: the cost follows
-- the new data. EXTRACT(week) is the ISO 8601 week and EXTRACT(dow) counts from 0 = Sunday in both
-- Redshift and PostgreSQL.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time),
       EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time),
       EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time),
       EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT start_time FROM run_plays) plays
WHERE NOT EXISTS (SELECT 1 FROM time known WHERE known.start_time = plays.start_time);
