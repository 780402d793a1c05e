-- expect: RW122
-- corpus-note: held-out
UPDATE orders o SET status = 'vip' FROM users u WHERE u.id = o.user_id AND u.plan = 'gold';
