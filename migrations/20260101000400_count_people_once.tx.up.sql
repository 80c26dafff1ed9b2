-- search_people.seen counts the items that name a person now. The first
-- trigger added every person of every updated row again (a relabelled mail
-- counted its sender twice) and deletes took nobody away, so frequency, the
-- order contacts resolve in, drifted with every sync.

-- search_people_sql is the query of who the rows of rel (a cache table or a
-- transition table of tbl) name, each person counted n times: senders and
-- recipients of mail, attendees of events.
CREATE FUNCTION search_people_sql(tbl text, rel text, n int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE tbl WHEN 'gmail_cache' THEN format($q$
        SELECT user_id, lower(sender) AS address, sender_name AS name, %2$s AS n FROM %1$I WHERE sender <> ''
        UNION ALL
        SELECT t.user_id, lower(coalesce(r->>'email', r->>'Email', '')), coalesce(r->>'name', r->>'Name', ''), %2$s
        FROM %1$I t, jsonb_array_elements(CASE jsonb_typeof(t.recipients) WHEN 'array' THEN t.recipients ELSE '[]' END) r
    $q$, rel, n) ELSE format($q$
        SELECT t.user_id, lower(coalesce(a->>'email', a->>'Email', '')) AS address,
               coalesce(a->>'displayName', a->>'name', a->>'Name', '') AS name, %2$s AS n
        FROM %1$I t, jsonb_array_elements(CASE jsonb_typeof(t.attendees) WHEN 'array' THEN t.attendees ELSE '[]' END) a
    $q$, rel, n) END
$$;

-- search_count_people applies what a statement changed to the counts: the
-- people of inserted rows count up, of deleted rows down, of updated rows by
-- the difference; a person nobody names any more is forgotten.
CREATE FUNCTION search_count_people() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parts text[] := '{}';
    delta text;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        parts := parts || search_people_sql(TG_TABLE_NAME, 'new_rows', 1);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        parts := parts || search_people_sql(TG_TABLE_NAME, 'old_rows', -1);
    END IF;
    delta := format('SELECT user_id, address, name, sum(n)::int AS n FROM (%s) x
        WHERE address <> %L GROUP BY user_id, address, name HAVING sum(n) <> 0', array_to_string(parts, ' UNION ALL '), '');
    EXECUTE format('INSERT INTO search_people AS p (user_id, address, name, words, seen)
        SELECT user_id, address, name, search_words(name, address), n FROM (%s) d
        ON CONFLICT (user_id, address, name) DO UPDATE SET seen = p.seen + excluded.seen', delta);
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('DELETE FROM search_people p USING (%s) d
            WHERE p.user_id = d.user_id AND p.address = d.address AND p.name = d.name AND p.seen <= 0', delta);
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['gmail_cache', 'gcal_cache'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', tbl || '_people_ins', tbl);
        EXECUTE format('DROP TRIGGER %I ON %I', tbl || '_people_upd', tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_count_people()',
            tbl || '_people_ins', tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_count_people()',
            tbl || '_people_upd', tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_count_people()',
            tbl || '_people_del', tbl);
    END LOOP;
    -- Count again what is there now.
    DELETE FROM search_people;
    EXECUTE format('INSERT INTO search_people (user_id, address, name, words, seen)
        SELECT user_id, address, name, search_words(name, address), sum(n)::int FROM (%s UNION ALL %s) x
        WHERE address <> %L GROUP BY user_id, address, name',
        search_people_sql('gmail_cache', 'gmail_cache', 1), search_people_sql('gcal_cache', 'gcal_cache', 1), '');
END
$$;

DROP FUNCTION search_add_people();
