package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/newsbot/newsbot/knowledge"
)

var _ knowledge.VectorStore = (*Store)(nil)

// Unembedded returns paragraphs above the model's watermark, in doc order.
func (s *Store) Unembedded(ctx context.Context, model string, limit int) ([]knowledge.DocText, error) {
	rows, _ := s.pool.Query(ctx, `SELECT doc, text FROM paragraphs
		WHERE doc > coalesce((SELECT through FROM embedding_state WHERE model = $1), 0) ORDER BY doc LIMIT $2`, model, limit)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (knowledge.DocText, error) {
		var d knowledge.DocText
		err := r.Scan(&d.Doc, &d.Text)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("unembedded: %w", err)
	}
	return out, nil
}

// VectorsByHash returns stored vectors of model for the given text hashes.
func (s *Store) VectorsByHash(ctx context.Context, model string, hashes []string) (map[string][]float32, error) {
	out := map[string][]float32{}
	if len(hashes) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT hash, vec FROM embeddings WHERE model = $1 AND hash = ANY($2)`, model, hashes)
	var h string
	var b []byte
	_, err := pgx.ForEachRow(rows, []any{&h, &b}, func() error {
		v, err := knowledge.DecodeVector(b)
		if err != nil {
			return err
		}
		out[h] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("vectors by hash: %w", err)
	}
	return out, nil
}

// PutVectors stores vectors (the last of several for one doc wins) and
// raises the model's watermark to through, in one transaction. It takes the
// writers' lock, so that vectors commit in the order of their positions and
// an incremental ScanVectors in another instance never skips one.
func (s *Store) PutVectors(ctx context.Context, model string, vs []knowledge.DocVector, through int64) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		return fmt.Errorf("put vectors: lock writers: %w", err)
	}
	last := make(map[int64]int, len(vs))
	for i, v := range vs {
		last[v.Doc] = i
	}
	docs, hashes, vecs := make([]int64, 0, len(last)), make([]string, 0, len(last)), make([][]byte, 0, len(last))
	for i, v := range vs {
		if last[v.Doc] == i {
			docs, hashes, vecs = append(docs, v.Doc), append(hashes, v.Hash), append(vecs, knowledge.EncodeVector(v.Vec))
		}
	}
	if len(docs) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO embeddings(model, doc, hash, vec)
			SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bytea[])
			ON CONFLICT (model, doc) DO UPDATE SET hash = excluded.hash, vec = excluded.vec`, model, docs, hashes, vecs); err != nil {
			return fmt.Errorf("put vectors: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO embedding_state(model, through) VALUES ($1, $2)
		ON CONFLICT (model) DO UPDATE SET through = greatest(embedding_state.through, excluded.through)`, model, through); err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	return nil
}

// ScanVectors calls fn, in storage order, with the model's vectors stored
// after position since whose paragraphs exist, and returns the position to
// pass next time. fn's error is returned as is.
func (s *Store) ScanVectors(ctx context.Context, model string, since int64, fn func(doc int64, vec []float32) error) (int64, error) {
	rows, _ := s.pool.Query(ctx, `SELECT e.id, e.doc, e.vec FROM embeddings e JOIN paragraphs p ON p.doc = e.doc
		WHERE e.model = $1 AND e.id > $2 ORDER BY e.id`, model, since)
	last := since
	var id, doc int64
	var b []byte
	var fnErr error
	_, err := pgx.ForEachRow(rows, []any{&id, &doc, &b}, func() error {
		v, err := knowledge.DecodeVector(b)
		if err != nil {
			return fmt.Errorf("doc %d: %w", doc, err)
		}
		if err := fn(doc, v); err != nil {
			fnErr = err
			return err
		}
		last = id
		return nil
	})
	if fnErr != nil {
		return last, fnErr
	}
	if err != nil {
		return last, fmt.Errorf("scan vectors: %w", err)
	}
	return last, nil
}
