DROP VIEW IF EXISTS account_view;
DROP TABLE ${table_prefix}account;
