-- expect: none
CREATE SCHEMA reporting;
CREATE TABLE reporting.daily (day date PRIMARY KEY, orders bigint NOT NULL DEFAULT 0);
