-- The language of each article (ISO 639-1, e.g. 'fr'), detected when it is
-- stored; '' when unknown, as for the articles stored before this version.
-- Version 9 as in knowledge/postgres (7 and 8 are other changes'; a store
-- applies any version it lacks, in any order).
ALTER TABLE articles ADD COLUMN lang TEXT NOT NULL DEFAULT '';
