ALTER TABLE users DROP COLUMN home_archived_at;
ALTER TABLE users DROP COLUMN dormancy_warned_at;
ALTER TABLE users DROP COLUMN last_sign_in_at;
ALTER TABLE groups DROP COLUMN policy_scratch_retention_days;
ALTER TABLE groups DROP COLUMN policy_shared_folders;
ALTER TABLE groups DROP COLUMN policy_home_soft_quota;
ALTER TABLE groups DROP COLUMN policy_home_quota;
ALTER TABLE groups DROP COLUMN policy_storage_soft_quota;
DROP TABLE storage_usages;
