-- expect: RW204
ALTER TABLE audit RENAME TO audit_log;
