ALTER TABLE groups DROP COLUMN policy_stop_at_budget;
DROP TABLE budget_alerts;
ALTER TABLE environments DROP COLUMN metered_until;
ALTER TABLE environments DROP COLUMN pool_name;
ALTER TABLE compute_pools DROP COLUMN instance_type;
DROP TABLE usage_hours;
