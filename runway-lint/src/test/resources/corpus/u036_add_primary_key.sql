-- expect: RW114
ALTER TABLE legacy_nopk ADD PRIMARY KEY (id);
