DROP TABLE service_events;
DROP TABLE shared_services;
