-- migrate:up transaction:false
create index concurrently team_name_idx on team (name);

-- migrate:down transaction:false
drop index concurrently team_name_idx;
