-- Usage per environment for one group or one user over a window (/api/usage/environments?group= / ?user=, the
-- console's costs page) read every hourly record of the window and filtered them: an index scan of the key's hours now.
CREATE INDEX ix_usage_hours_group_name_hour ON usage_hours (group_name, hour);
CREATE INDEX ix_usage_hours_user_name_hour ON usage_hours (user_name, hour);
