DROP TABLE catalog_file_entries;
