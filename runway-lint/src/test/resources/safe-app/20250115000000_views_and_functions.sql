-- runway:up
CREATE VIEW order_summary AS SELECT user_id, count(*) AS n FROM orders GROUP BY user_id;
CREATE FUNCTION user_order_count(uid bigint) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM orders WHERE user_id = uid $$;
COMMENT ON VIEW order_summary IS 'orders per user';
-- runway:down
DROP FUNCTION user_order_count(bigint);
DROP VIEW order_summary;
