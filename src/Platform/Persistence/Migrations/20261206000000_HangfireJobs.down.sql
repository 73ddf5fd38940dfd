-- Quartz provisions its own tables when the previous build starts; Hangfire's schema is left for it to ignore.
DROP TABLE job_schedules;
