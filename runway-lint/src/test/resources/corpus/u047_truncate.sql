-- expect: RW120
TRUNCATE audit;
