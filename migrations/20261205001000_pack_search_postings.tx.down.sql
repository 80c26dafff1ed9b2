-- Back to one posting row per user, term and item, filled from the caches.
DROP FUNCTION search_remove(text, uuid[], uuid[], tsvector[]);
DROP FUNCTION search_add(text, uuid[], uuid[], tsvector[]);
DROP FUNCTION search_doc_terms(text, uuid[], uuid[], tsvector[]);
DROP FUNCTION search_len(tsvector);
DROP TABLE search_terms;
DROP TABLE search_docs;
ALTER TABLE search_stats DROP COLUMN next_doc;

CREATE TABLE search_postings (
    user_id uuid     NOT NULL,
    term    text     COLLATE "C" NOT NULL,
    item_id uuid     NOT NULL,
    service text     NOT NULL,
    tf_a    smallint NOT NULL,
    tf_b    smallint NOT NULL,
    tf_c    smallint NOT NULL,
    doc_len integer  NOT NULL,
    PRIMARY KEY (user_id, term, item_id) INCLUDE (service, tf_a, tf_b, tf_c, doc_len)
);

-- search_add indexes items (parallel arrays of ids, owners and tsvectors).
CREATE OR REPLACE FUNCTION search_add(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    WITH docs AS (
        SELECT d.id, d.user_id, d.vec,
               (SELECT coalesce(sum(cardinality(u.weights)), 0) FROM unnest(d.vec) u)::int AS len
        FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    ), posted AS (
        INSERT INTO search_postings (user_id, term, item_id, service, tf_a, tf_b, tf_c, doc_len)
        SELECT d.user_id, u.lexeme, d.id, svc, f.a, f.b, f.c, d.len
        FROM docs d, unnest(d.vec) u,
             LATERAL (SELECT least(count(*) FILTER (WHERE w = 'A'), 32767)::smallint AS a,
                             least(count(*) FILTER (WHERE w = 'B'), 32767)::smallint AS b,
                             least(count(*) FILTER (WHERE w IN ('C', 'D')), 32767)::smallint AS c
                      FROM unnest(u.weights) w) f
        RETURNING 1
    )
    INSERT INTO search_stats AS s (user_id, service, docs, total_len)
    SELECT user_id, svc, count(*), sum(len) FROM docs GROUP BY user_id
    ON CONFLICT (user_id, service) DO UPDATE
        SET docs = s.docs + excluded.docs, total_len = s.total_len + excluded.total_len
$$;

-- search_remove forgets items indexed by search_add with the same tsvectors.
CREATE OR REPLACE FUNCTION search_remove(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    WITH docs AS (
        SELECT d.id, d.user_id, d.vec,
               (SELECT coalesce(sum(cardinality(u.weights)), 0) FROM unnest(d.vec) u)::int AS len
        FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    ), removed AS (
        DELETE FROM search_postings p
        USING docs d, unnest(tsvector_to_array(d.vec)) AS t(term)
        WHERE p.user_id = d.user_id AND p.term = t.term COLLATE "C" AND p.item_id = d.id
        RETURNING 1
    )
    UPDATE search_stats s SET docs = s.docs - g.n, total_len = s.total_len - g.len
    FROM (SELECT user_id, count(*) AS n, sum(len) AS len FROM docs GROUP BY user_id) g
    WHERE s.user_id = g.user_id AND s.service = svc
$$;

DELETE FROM search_stats;
SELECT search_add('gmail', array_agg(id), array_agg(user_id), array_agg(search)) FROM gmail_cache;
SELECT search_add('calendar', array_agg(id), array_agg(user_id), array_agg(search)) FROM gcal_cache;
SELECT search_add('drive', array_agg(id), array_agg(user_id), array_agg(search)) FROM gdrive_cache;
