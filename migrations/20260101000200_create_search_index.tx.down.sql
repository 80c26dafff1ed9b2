-- CASCADE drops the cache tables' triggers with their functions.
DROP FUNCTION IF EXISTS search_add_people() CASCADE;
DROP FUNCTION IF EXISTS search_index_vectors() CASCADE;
DROP FUNCTION IF EXISTS search_index_rows() CASCADE;
DROP FUNCTION IF EXISTS search_remove(text, uuid[], uuid[], tsvector[]);
DROP FUNCTION IF EXISTS search_add(text, uuid[], uuid[], tsvector[]);
DROP FUNCTION IF EXISTS search_words(text, text);
DROP TABLE IF EXISTS search_people;
DROP TABLE IF EXISTS search_vectors;
DROP TABLE IF EXISTS search_stats;
DROP TABLE IF EXISTS search_postings;
