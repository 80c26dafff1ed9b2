-- The packed postings back in one table.
ALTER TABLE search_terms RENAME TO search_terms_partitioned;
ALTER INDEX search_terms_pkey RENAME TO search_terms_partitioned_pkey;

CREATE TABLE search_terms (
    user_id  uuid     NOT NULL,
    term     text     COLLATE "C" NOT NULL,
    service  text     NOT NULL,
    blk      integer  NOT NULL,
    postings bigint[] NOT NULL,
    PRIMARY KEY (user_id, term, service, blk)
);
INSERT INTO search_terms SELECT * FROM search_terms_partitioned ORDER BY user_id, term, service, blk;
DROP TABLE search_terms_partitioned;
