ALTER TABLE environments DROP COLUMN host;
DROP TABLE hosts;
