CREATE TABLE job_schedules (
    job character varying(64) NOT NULL,
    paused boolean NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_job_schedules PRIMARY KEY (job)
);
-- Upgrading from Quartz: a paused trigger stays paused.
DO $$
BEGIN
    IF to_regclass('qrtz_triggers') IS NOT NULL THEN
        INSERT INTO job_schedules (job, paused, updated_at)
        SELECT trigger_name, true, now() FROM qrtz_triggers WHERE trigger_group = 'devplatform' AND trigger_state = 'PAUSED'
        ON CONFLICT (job) DO NOTHING;
    END IF;
END $$;
-- Quartz's clustered store (its tables were provisioned by Quartz at start-up, never by a migration).
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks, qrtz_simple_triggers,
    qrtz_simprop_triggers, qrtz_cron_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_calendars CASCADE;
