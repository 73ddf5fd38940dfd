-- Usage summed per UTC day and user, group, profile and pool: what reports, budgets and the spend metrics read, so a
-- month is ~30 rows per key instead of every environment's every hour. Kept by statement triggers on usage_hours (each
-- write adds its rows' change: new rows added, old rows taken away; `records` counts the hourly rows behind a day, and
-- a day left with none is removed), so every writer keeps it in step, in the same transaction; the cost and requested CPU are exact numerics, the other sums doubles (equal to the hourly sums up to
-- floating-point rounding).
CREATE TABLE usage_days (
    day date NOT NULL,
    user_name character varying(63) NOT NULL,
    group_name character varying(63) NOT NULL,
    profile_name character varying(63) NOT NULL,
    pool_name character varying(63) NOT NULL,
    records integer NOT NULL,
    seconds double precision NOT NULL,
    cpu_requested_core_seconds numeric NOT NULL,
    cpu_used_core_seconds double precision NOT NULL,
    memory_requested_byte_seconds double precision NOT NULL,
    memory_used_byte_seconds double precision NOT NULL,
    accelerator_seconds double precision NOT NULL,
    cost numeric NOT NULL,
    CONSTRAINT pk_usage_days PRIMARY KEY (day, user_name, group_name, profile_name, pool_name)
);
CREATE INDEX ix_usage_days_group_name_day ON usage_days (group_name, day) INCLUDE (cost);
CREATE INDEX ix_usage_days_emptied ON usage_days (day) WHERE records = 0;

CREATE FUNCTION usage_days_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    changes text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
        WHEN 'UPDATE' THEN 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'
        ELSE 'SELECT -1 AS sign, * FROM old_rows' END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO usage_days AS d (day, user_name, group_name, profile_name, pool_name, records, seconds, cpu_requested_core_seconds,
                                     cpu_used_core_seconds, memory_requested_byte_seconds, memory_used_byte_seconds, accelerator_seconds, cost)
        SELECT (hour AT TIME ZONE 'UTC')::date, user_name, group_name, profile_name, pool_name, sum(sign), sum(sign * seconds),
               sum(sign * cpu_request * seconds::numeric), sum(sign * cpu_used_core_seconds), sum(sign * memory_request * seconds),
               sum(sign * memory_used_byte_seconds), sum(sign * accelerators * seconds), sum(sign * cost)
        FROM (%s) AS changed
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5 -- every writer locks days in one order: two statements' upserts cannot deadlock
        ON CONFLICT (day, user_name, group_name, profile_name, pool_name) DO UPDATE SET
            records = d.records + excluded.records,
            seconds = d.seconds + excluded.seconds,
            cpu_requested_core_seconds = d.cpu_requested_core_seconds + excluded.cpu_requested_core_seconds,
            cpu_used_core_seconds = d.cpu_used_core_seconds + excluded.cpu_used_core_seconds,
            memory_requested_byte_seconds = d.memory_requested_byte_seconds + excluded.memory_requested_byte_seconds,
            memory_used_byte_seconds = d.memory_used_byte_seconds + excluded.memory_used_byte_seconds,
            accelerator_seconds = d.accelerator_seconds + excluded.accelerator_seconds,
            cost = d.cost + excluded.cost
        $sql$, changes);
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM usage_days WHERE records = 0; -- a key whose hourly records are all gone (or moved) reports nothing
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER usage_days_on_insert AFTER INSERT ON usage_hours REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_days_apply();
CREATE TRIGGER usage_days_on_update AFTER UPDATE ON usage_hours REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_days_apply();
CREATE TRIGGER usage_days_on_delete AFTER DELETE ON usage_hours REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_days_apply();

-- What was metered before this migration.
INSERT INTO usage_days (day, user_name, group_name, profile_name, pool_name, records, seconds, cpu_requested_core_seconds, cpu_used_core_seconds,
                        memory_requested_byte_seconds, memory_used_byte_seconds, accelerator_seconds, cost)
SELECT (hour AT TIME ZONE 'UTC')::date, user_name, group_name, profile_name, pool_name, count(*), sum(seconds), sum(cpu_request * seconds::numeric),
       sum(cpu_used_core_seconds), sum(memory_request * seconds), sum(memory_used_byte_seconds), sum(accelerators * seconds), sum(cost)
FROM usage_hours GROUP BY 1, 2, 3, 4, 5;
