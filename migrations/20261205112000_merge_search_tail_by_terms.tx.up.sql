-- search_merge takes a range of terms over every block instead of one block.
--
-- Merged a block at a time, a user with more than 4,096 items in a service
-- (every make bench-search user's mail) had the second block's keys
-- inserted between the first's, splitting leaf pages in the middle: the
-- bench's index, loaded as syncs load it, was 1.13x the text it indexes
-- against 1.08x rebuilt. Merged in key order, a range of terms per
-- statement, a user's first sync appends to the end of its partition's key
-- order, all blocks together.
DROP FUNCTION search_merge(text, uuid, integer);

-- search_merge moves a user's tail of one service, for the terms in
-- (lo, hi], into the packed rows in key order, and returns how many packed
-- rows it wrote. It locks the statistics row as writers do, so no write of
-- that user's service interleaves.
CREATE FUNCTION search_merge(svc text, uid uuid, lo text, hi text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT 1 FROM search_stats WHERE user_id = uid AND service = svc FOR UPDATE;

    WITH moved AS (
        DELETE FROM search_tail
        WHERE user_id = uid AND service = svc AND term > lo COLLATE "C" AND term <= hi COLLATE "C"
        RETURNING term, blk, postings
    ), merged AS (
        INSERT INTO search_terms AS t (user_id, term, service, blk, postings)
        SELECT uid, m.term, svc, m.blk, array_agg(e ORDER BY e & 4095)
        FROM moved m, unnest(m.postings) e
        GROUP BY m.term, m.blk
        ORDER BY m.term, m.blk
        ON CONFLICT (user_id, term, service, blk) DO UPDATE SET postings = t.postings || excluded.postings
        RETURNING 1
    )
    SELECT count(*) FROM merged
$$;
