-- expect: RW116
VACUUM (FULL, ANALYZE) users;
