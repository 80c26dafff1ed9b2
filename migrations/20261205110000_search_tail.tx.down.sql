-- Back to writes that rewrite the packed rows, the tail merged into them.
SELECT search_merge(service, user_id, blk) FROM (SELECT DISTINCT service, user_id, blk FROM search_tail) t;
DROP FUNCTION search_merge(text, uuid, integer);
DROP FUNCTION search_reset_tail();
DROP TABLE search_tail;

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
    INSERT INTO search_terms AS t (user_id, term, service, blk, postings)
    SELECT n.user_id, u.lexeme, svc, n.doc >> 12, array_agg((n.doc & 4095)::bigint | (f.a << 12) | (f.b << 20) | (f.c << 29) | (least(n.len, 262143)::bigint << 45))
    FROM numbered n, unnest(n.vec) u,
         LATERAL (SELECT least(count(*) FILTER (WHERE w = 'A'), 255) AS a,
                         least(count(*) FILTER (WHERE w = 'B'), 511) AS b,
                         least(count(*) FILTER (WHERE w IN ('C', 'D')), 65535) AS c
                  FROM unnest(u.weights) w) f
    GROUP BY n.user_id, u.lexeme, n.doc >> 12
    ON CONFLICT (user_id, term, service, blk) DO UPDATE SET postings = t.postings || excluded.postings
$$;

CREATE OR REPLACE FUNCTION search_remove(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    SELECT 1 FROM search_stats WHERE user_id = ANY (users) AND service = svc ORDER BY user_id FOR UPDATE;

    UPDATE search_terms t SET postings = ARRAY(SELECT e FROM unnest(t.postings) e WHERE e & 4095 <> ALL (h.offs))
    FROM search_doc_terms(svc, ids, users, vecs) h
    WHERE t.user_id = h.user_id AND t.term = h.term COLLATE "C" AND t.service = svc AND t.blk = h.blk;

    DELETE FROM search_terms t USING search_doc_terms(svc, ids, users, vecs) h
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
