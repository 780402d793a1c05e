-- expect: RW120
TRUNCATE TABLE legacy, legacy_nopk;
