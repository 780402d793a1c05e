-- expect: none
-- corpus-note: roles production has do not exist on the scratch server
CREATE TABLE reports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);
GRANT SELECT ON reports TO analytics_ro;
