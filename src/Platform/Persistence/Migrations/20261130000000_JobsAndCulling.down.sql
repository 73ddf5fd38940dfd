ALTER TABLE environments DROP COLUMN cull_warned_at;
ALTER TABLE profiles DROP COLUMN idle_cpu_floor;
ALTER TABLE profiles DROP COLUMN max_age_hours;
ALTER TABLE profiles DROP COLUMN idle_timeout_minutes;
DROP TABLE job_runs;
