-- Writes append postings to a tail instead of rewriting the packed rows.
--
-- A sync writes a page's items in statements of 200, and each statement
-- rewrote every packed row its items' terms fall in: 13 times for the demo
-- mailbox's common words. The old versions are reclaimed by VACUUM but the
-- files keep the size they grew to: on the demo workspace synced into an
-- empty database the index was 59.6 MB after a plain VACUUM, 2.21x the text
-- it indexes, against 29.1 MB (1.08x) rebuilt.
--
-- Now search_add inserts each statement's postings into search_tail as new
-- rows, one per term and block keyed by the statement's first item there
-- (seq), and never updates them; search_merge moves a user's tail for one
-- service and block into search_terms in one statement once a sync is done,
-- so a packed row is written once per sync, and the tail is emptied once no
-- sync is writing to it. Searches read both tables. The demo workspace
-- synced so is 32.9 MB after a plain VACUUM, 1.22x: the packed rows' heap
-- and TOAST as rebuilt, their primary key 12.7 MB instead of 8.9 MB.

CREATE TABLE search_tail (
    user_id  uuid     NOT NULL,
    term     text     COLLATE "C" NOT NULL,
    service  text     NOT NULL,
    blk      integer  NOT NULL,
    seq      integer  NOT NULL,
    postings bigint[] NOT NULL,
    PRIMARY KEY (user_id, term, service, blk, seq)
);

CREATE OR REPLACE FUNCTION search_add(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    WITH docs AS (
        SELECT d.id, d.user_id, d.vec, search_len(d.vec) AS len,
               row_number() OVER (PARTITION BY d.user_id ORDER BY d.id)::int AS i,
               count(*) OVER (PARTITION BY d.user_id)::int AS n
        FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    ), counted AS (
        INSERT INTO search_stats AS s (user_id, service, docs, total_len, next_doc)
        SELECT user_id, svc, count(*), sum(len), count(*) FROM docs GROUP BY user_id
        ON CONFLICT (user_id, service) DO UPDATE
            SET docs = s.docs + excluded.docs, total_len = s.total_len + excluded.total_len,
                next_doc = s.next_doc + excluded.next_doc
        RETURNING s.user_id, s.next_doc
    ), numbered AS (
        SELECT d.*, c.next_doc - d.n + d.i - 1 AS doc FROM docs d JOIN counted c ON c.user_id = d.user_id
    ), mapped AS (
        INSERT INTO search_docs (user_id, service, doc, item_id)
        SELECT user_id, svc, doc, id FROM numbered
        RETURNING 1
    )
    INSERT INTO search_tail (user_id, term, service, blk, seq, postings)
    SELECT n.user_id, u.lexeme, svc, n.doc >> 12, min(n.doc),
           array_agg((n.doc & 4095)::bigint | (f.a << 12) | (f.b << 20) | (f.c << 29) | (least(n.len, 262143)::bigint << 45))
    FROM numbered n, unnest(n.vec) u,
         LATERAL (SELECT least(count(*) FILTER (WHERE w = 'A'), 255) AS a,
                         least(count(*) FILTER (WHERE w = 'B'), 511) AS b,
                         least(count(*) FILTER (WHERE w IN ('C', 'D')), 65535) AS c
                  FROM unnest(u.weights) w) f
    GROUP BY n.user_id, u.lexeme, n.doc >> 12
$$;

-- search_remove takes the items' postings out of the packed rows and out of
-- the tail rows that hold them.
CREATE OR REPLACE FUNCTION search_remove(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    SELECT 1 FROM search_stats WHERE user_id = ANY (users) AND service = svc ORDER BY user_id FOR UPDATE;

    UPDATE search_terms t SET postings = ARRAY(SELECT e FROM unnest(t.postings) e WHERE e & 4095 <> ALL (h.offs))
    FROM search_doc_terms(svc, ids, users, vecs) h
    WHERE t.user_id = h.user_id AND t.term = h.term COLLATE "C" AND t.service = svc AND t.blk = h.blk;

    DELETE FROM search_terms t USING search_doc_terms(svc, ids, users, vecs) h
    WHERE t.user_id = h.user_id AND t.term = h.term COLLATE "C" AND t.service = svc AND t.blk = h.blk AND t.postings = '{}';

    UPDATE search_tail t SET postings = ARRAY(SELECT e FROM unnest(t.postings) e WHERE e & 4095 <> ALL (h.offs))
    FROM search_doc_terms(svc, ids, users, vecs) h
    WHERE t.user_id = h.user_id AND t.term = h.term COLLATE "C" AND t.service = svc AND t.blk = h.blk
      AND EXISTS (SELECT 1 FROM unnest(t.postings) e WHERE e & 4095 = ANY (h.offs));

    DELETE FROM search_tail t USING search_doc_terms(svc, ids, users, vecs) h
    WHERE t.user_id = h.user_id AND t.term = h.term COLLATE "C" AND t.service = svc AND t.blk = h.blk AND t.postings = '{}';

    WITH docs AS (
        SELECT d.id, d.user_id, search_len(d.vec) AS len FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    ), gone AS (
        DELETE FROM search_docs sd USING docs d
        WHERE sd.user_id = d.user_id AND sd.service = svc AND sd.item_id = d.id
        RETURNING sd.item_id
    )
    UPDATE search_stats s SET docs = s.docs - g.n, total_len = s.total_len - g.len
    FROM (SELECT d.user_id, count(*) AS n, sum(d.len) AS len FROM docs d JOIN gone ON gone.item_id = d.id GROUP BY d.user_id) g
    WHERE s.user_id = g.user_id AND s.service = svc;
$$;

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

-- search_reset_tail hands back the tail's files once no row is left in it
-- (VACUUM would hand back its heap's pages but never its index's, 16-19 MB
-- after a sync of the demo workspace). Under the lock no write is under way,
-- and a reader that waited for it takes its snapshot after it (READ
-- COMMITTED, which is all this application runs), so it finds the merged
-- rows in search_terms; NOWAIT keeps searches from queueing behind the lock,
-- and a busy tail is left for the next merge.
CREATE FUNCTION search_reset_tail() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_relation_size('search_tail') = 0 AND pg_indexes_size('search_tail') <= current_setting('block_size')::int THEN
        RETURN false; -- as TRUNCATE left it
    END IF;
    LOCK TABLE search_tail IN ACCESS EXCLUSIVE MODE NOWAIT;
    IF EXISTS (SELECT 1 FROM search_tail) THEN
        RETURN false;
    END IF;
    TRUNCATE search_tail;
    RETURN true;
EXCEPTION WHEN lock_not_available THEN
    RETURN false;
END
$$;
