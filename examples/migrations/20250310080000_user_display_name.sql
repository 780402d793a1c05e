-- runway:up
CREATE FUNCTION user_display_name(u users) RETURNS text
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    -- a ; inside a dollar-quoted body does not end the statement
    RETURN coalesce(u.name, split_part(u.email, '@', 1));
END;
$fn$;

-- runway:down
DROP FUNCTION user_display_name(users);
