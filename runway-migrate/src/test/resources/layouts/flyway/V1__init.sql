CREATE TABLE ${table_prefix}account (id bigint PRIMARY KEY, email text);
