--liquibase formatted sql

--changeset "bob smith":2 endDelimiter:/
CREATE FUNCTION customer_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM customer'
/
CREATE VIEW customer_total AS SELECT customer_count() AS n
/
/* liquibase rollback
DROP VIEW customer_total;
DROP FUNCTION customer_count();
*/

--changeset bob:3 splitStatements:false
ALTER TABLE customer ADD COLUMN email text;
ALTER TABLE customer ADD COLUMN phone text;
--rollback ALTER TABLE customer DROP COLUMN phone;
--rollback ALTER TABLE customer DROP COLUMN email;
