-- The articles by their first doc number: `newsbot migrate` reads the store
-- in doc order, a batch at a time (ArticlesAfter), which without this index
-- scanned and sorted every article for each batch. The same index as
-- knowledge/sqlite's version 10.
CREATE INDEX IF NOT EXISTS articles_first_doc ON articles (first_doc);
