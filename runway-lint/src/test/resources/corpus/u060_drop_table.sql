-- expect: RW202
DROP TABLE audit;
