--liquibase formatted sql

--changeset alice:create-customer
--comment: the first table
CREATE TABLE customer (id bigint PRIMARY KEY, name varchar(100));
--rollback DROP TABLE customer;

--changeset alice:customer-index runInTransaction:false
CREATE INDEX CONCURRENTLY customer_name_idx ON customer (name);
--rollback DROP INDEX CONCURRENTLY customer_name_idx;

--changeset bob:oracle-only dbms:oracle
CREATE TABLE only_on_oracle (id number);
