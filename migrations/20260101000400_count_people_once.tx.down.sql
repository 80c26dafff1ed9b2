-- Back to counting every person of every inserted or updated row.
-- search_add_people records who a user's new or changed mail and events name.
CREATE FUNCTION search_add_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'gmail_cache' THEN
        INSERT INTO search_people AS p (user_id, address, name, words, seen)
        SELECT user_id, address, name, search_words(name, address), count(*) FROM (
            SELECT user_id, lower(sender) AS address, sender_name AS name FROM new_rows WHERE sender <> ''
            UNION ALL
            SELECT n.user_id, lower(coalesce(r->>'email', r->>'Email', '')), coalesce(r->>'name', r->>'Name', '')
            FROM new_rows n, jsonb_array_elements(CASE jsonb_typeof(n.recipients) WHEN 'array' THEN n.recipients ELSE '[]' END) r
        ) x WHERE address <> '' GROUP BY user_id, address, name
        ON CONFLICT (user_id, address, name) DO UPDATE SET seen = p.seen + excluded.seen;
    ELSE
        INSERT INTO search_people AS p (user_id, address, name, words, seen)
        SELECT user_id, address, name, search_words(name, address), count(*) FROM (
            SELECT n.user_id, lower(coalesce(a->>'email', a->>'Email', '')) AS address,
                   coalesce(a->>'displayName', a->>'name', a->>'Name', '') AS name
            FROM new_rows n, jsonb_array_elements(CASE jsonb_typeof(n.attendees) WHEN 'array' THEN n.attendees ELSE '[]' END) a
        ) x WHERE address <> '' GROUP BY user_id, address, name
        ON CONFLICT (user_id, address, name) DO UPDATE SET seen = p.seen + excluded.seen;
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
        EXECUTE format('DROP TRIGGER %I ON %I', tbl || '_people_del', tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_add_people()',
            tbl || '_people_ins', tbl);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_add_people()',
            tbl || '_people_upd', tbl);
    END LOOP;
END
$$;

DROP FUNCTION search_count_people();
DROP FUNCTION search_people_sql(text, text, int);
