DROP TABLE ${table_prefix}audit;
