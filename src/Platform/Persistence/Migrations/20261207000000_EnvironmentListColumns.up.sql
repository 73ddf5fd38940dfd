-- What an environment's list row shows from its spec, kept by PostgreSQL itself: lists read these narrow columns
-- instead of loading and parsing every row's whole spec (see Environments/EnvironmentResource.cs). A generated column
-- allows no subquery, so the bundle names (validated names: lowercase letters, digits and dashes) come from the text
-- of the JSON array of them: ["a", "b"] -> {a,b}.
ALTER TABLE environments
  ADD image text NOT NULL GENERATED ALWAYS AS (coalesce(spec ->> 'image', '')) STORED,
  ADD size text NOT NULL GENERATED ALWAYS AS (coalesce(spec -> 'labels' ->> 'devplatform.io/size', '')) STORED,
  ADD bundles text[] NOT NULL GENERATED ALWAYS AS (string_to_array(btrim(replace(jsonb_path_query_array(spec, '$.packages[*].bundle')::text, '"', ''), '[]'), ', ')) STORED,
  ADD url text NOT NULL GENERATED ALWAYS AS (coalesce(spec ->> 'baseUrl', '')) STORED;
-- The admin list's filters.
CREATE INDEX ix_environments_group_name ON environments (group_name);
CREATE INDEX ix_environments_profile_name ON environments (profile_name);
