-- expect: none
CREATE TABLE tmp_import (id bigint, v text);
DROP TABLE tmp_import;
