-- BM25 postings packed per user, term, service and block of documents,
-- instead of one row per user, term and item: 165 rows and 32.2 KB per item
-- (6.7x the text indexed) became a few array elements of 8 bytes each.
--
-- Each indexed item gets a number per user and service (search_docs), given
-- from search_stats.next_doc in the order items arrive; a changed item is
-- numbered again. Documents fall in blocks of 4,096 numbers (doc >> 12), and
-- search_terms holds, per (user, term, service, block), one bigint per item
-- holding the term: its number within the block and what BM25 needs, with
-- caps no real text reaches (a body is indexed up to 200,000 characters):
--   bits  0-11  doc & 4095
--   bits 12-19  tf in the title (A), at most 255
--   bits 20-28  tf in the people fields (B), at most 511
--   bits 29-44  tf in the body (C, D), at most 65,535
--   bits 45-62  the item's length in tokens, at most 262,143
-- An item's change rewrites only the blocks of its own terms; positions are
-- not kept, phrases are checked on the candidates' tsvectors as before.

CREATE TABLE search_docs (
    user_id uuid    NOT NULL,
    service text    NOT NULL,
    doc     integer NOT NULL,
    item_id uuid    NOT NULL,
    PRIMARY KEY (user_id, service, doc) INCLUDE (item_id),
    UNIQUE (user_id, service, item_id) INCLUDE (doc)
);

CREATE TABLE search_terms (
    user_id  uuid     NOT NULL,
    term     text     COLLATE "C" NOT NULL,
    service  text     NOT NULL,
    blk      integer  NOT NULL,
    postings bigint[] NOT NULL,
    PRIMARY KEY (user_id, term, service, blk)
);

ALTER TABLE search_stats ADD COLUMN next_doc integer NOT NULL DEFAULT 0;

-- search_len is an item's length in tokens: every position of every lexeme.
CREATE FUNCTION search_len(vec tsvector) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(sum(cardinality(u.weights)), 0)::int FROM unnest(vec) u
$$;

-- search_add indexes items (parallel arrays of ids, owners and tsvectors).
-- The statistics row is written first: it numbers the items and, locked
-- until commit, keeps two writers of one user's service from interleaving
-- their block updates.
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

-- search_doc_terms lists, per user, term and block, the numbers (within the
-- block) of the items indexed by search_add with the same tsvectors.
CREATE FUNCTION search_doc_terms(svc text, ids uuid[], users uuid[], vecs tsvector[])
RETURNS TABLE (user_id uuid, term text, blk integer, offs bigint[])
LANGUAGE sql STABLE AS $$
    SELECT sd.user_id, t.term, sd.doc >> 12, array_agg((sd.doc & 4095)::bigint)
    FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    JOIN search_docs sd ON sd.user_id = d.user_id AND sd.service = svc AND sd.item_id = d.id,
         unnest(tsvector_to_array(d.vec)) AS t(term)
    GROUP BY sd.user_id, t.term, sd.doc >> 12
$$;

-- search_remove forgets items indexed by search_add with the same tsvectors:
-- their postings leave their terms' blocks (a block left empty goes), then
-- their numbers and statistics.
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

-- Index what the caches hold now, then let the row postings go.
DELETE FROM search_stats;
SELECT search_add('gmail', array_agg(id), array_agg(user_id), array_agg(search)) FROM gmail_cache;
SELECT search_add('calendar', array_agg(id), array_agg(user_id), array_agg(search)) FROM gcal_cache;
SELECT search_add('drive', array_agg(id), array_agg(user_id), array_agg(search)) FROM gdrive_cache;
DROP TABLE search_postings;
-- Rebuilt in key order, the indexes' pages are 90% full instead of about
-- half (on make bench-search's 120,000 items: 189 MB against 249 MB).
REINDEX TABLE search_terms;
REINDEX TABLE search_docs;
