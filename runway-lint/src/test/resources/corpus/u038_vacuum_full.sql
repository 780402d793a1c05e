-- expect: RW116
VACUUM FULL orders;
