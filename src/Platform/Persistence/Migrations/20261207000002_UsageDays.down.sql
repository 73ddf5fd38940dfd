DROP TRIGGER usage_days_on_delete ON usage_hours;
DROP TRIGGER usage_days_on_update ON usage_hours;
DROP TRIGGER usage_days_on_insert ON usage_hours;
DROP FUNCTION usage_days_apply();
DROP TABLE usage_days;
