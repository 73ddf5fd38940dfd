DROP TRIGGER environments_route_changed ON environments;
DROP FUNCTION notify_environment_route();
