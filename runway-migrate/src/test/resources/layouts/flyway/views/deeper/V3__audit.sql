CREATE TABLE ${table_prefix}audit (at timestamptz DEFAULT now(), what text);
