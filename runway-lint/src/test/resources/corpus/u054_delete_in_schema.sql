-- expect: RW122
DELETE FROM audit WHERE at < now() - interval '90 days';
