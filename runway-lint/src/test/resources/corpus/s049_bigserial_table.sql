-- expect: none
CREATE SEQUENCE ticket_seq;
CREATE TABLE tickets (id bigserial PRIMARY KEY, number bigint DEFAULT nextval('ticket_seq'));
