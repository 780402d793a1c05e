-- expect: none
CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text, at timestamptz);
CREATE FUNCTION outbox_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
CREATE TRIGGER outbox_stamp BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_stamp();
