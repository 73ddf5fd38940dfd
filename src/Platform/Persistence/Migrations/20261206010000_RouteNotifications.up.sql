-- Every host keeps the proxy's routes in memory; this tells all of them, at commit, which environment's routing may have
-- changed (state or endpoint updated, row added or deleted). Payload: the environment id.
CREATE FUNCTION notify_environment_route() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('devplatform_routes', coalesce(NEW.id, OLD.id)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER environments_route_changed AFTER INSERT OR DELETE OR UPDATE OF state, endpoint ON environments
    FOR EACH ROW EXECUTE FUNCTION notify_environment_route();
