-- The language of each article (ISO 639-1, e.g. 'fr'), detected when it is
-- stored; '' when unknown, as for the articles stored before this version.
-- The same column as knowledge/sqlite's version 9.
ALTER TABLE articles ADD COLUMN lang text NOT NULL DEFAULT '';
