-- Users who moved between levels, read from their plays (each carries the level at the time):
-- upgraded users played on free before playing on paid, downgraded ones the other way round.
SELECT COALESCE(SUM(CASE WHEN first_free < last_paid THEN 1 ELSE 0 END), 0) AS free_to_paid,
       COALESCE(SUM(CASE WHEN first_paid < last_free THEN 1 ELSE 0 END), 0) AS paid_to_free
FROM (
    SELECT user_id,
           MIN(CASE WHEN level = 'free' THEN start_time END) AS first_free,
           MAX(CASE WHEN level = 'free' THEN start_time END) AS last_free,
           MIN(CASE WHEN level = 'paid' THEN start_time END) AS first_paid,
           MAX(CASE WHEN level = 'paid' THEN start_time END) AS last_paid
    FROM songplays
    GROUP BY user_id
) levels;
