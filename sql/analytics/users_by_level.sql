-- Users by their current level and gender.
SELECT level, gender, COUNT(*) AS users
FROM users
GROUP BY level, gender
ORDER BY level, gender;
