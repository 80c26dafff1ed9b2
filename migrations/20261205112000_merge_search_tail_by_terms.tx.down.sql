-- search_merge back to one block at a time.
DROP FUNCTION search_merge(text, uuid, text, text);

-- search_merge moves a user's tail of one service and block into the packed
-- rows, in key order, and returns how many packed rows it wrote. It locks the
-- statistics row as writers do, so no write of that user's service
-- interleaves.
CREATE FUNCTION search_merge(svc text, uid uuid, block integer) RETURNS bigint
LANGUAGE sql AS $$
    SELECT 1 FROM search_stats WHERE user_id = uid AND service = svc FOR UPDATE;

    WITH moved AS (
        DELETE FROM search_tail WHERE user_id = uid AND service = svc AND blk = block
        RETURNING term, postings
    ), merged AS (
        INSERT INTO search_terms AS t (user_id, term, service, blk, postings)
        SELECT uid, m.term, svc, block, array_agg(e ORDER BY e & 4095)
        FROM moved m, unnest(m.postings) e
        GROUP BY m.term
        ORDER BY m.term
        ON CONFLICT (user_id, term, service, blk) DO UPDATE SET postings = t.postings || excluded.postings
        RETURNING 1
    )
    SELECT count(*) FROM merged
$$;
