-- expect: none
ALTER TABLE audit RENAME TO audit_log;
CREATE VIEW audit AS SELECT * FROM audit_log;
