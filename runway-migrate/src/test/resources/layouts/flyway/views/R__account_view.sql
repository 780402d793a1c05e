CREATE OR REPLACE VIEW account_view AS SELECT id, email FROM ${table_prefix}account;
