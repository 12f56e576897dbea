package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/newsbot/newsbot/knowledge"
)

var _ knowledge.VectorStore = (*Store)(nil)

// Unembedded returns paragraphs above the model's watermark, in doc order.
func (s *Store) Unembedded(ctx context.Context, model string, limit int) ([]knowledge.DocText, error) {
	var through int64
	err := s.read.QueryRowContext(ctx, `SELECT through FROM embedding_state WHERE model = ?`, model).Scan(&through)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("unembedded: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT doc, text FROM paragraphs WHERE doc > ? ORDER BY doc LIMIT ?`, through, limit)
	if err != nil {
		return nil, fmt.Errorf("unembedded: %w", err)
	}
	defer rows.Close()
	var out []knowledge.DocText
	for rows.Next() {
		var d knowledge.DocText
		if err := rows.Scan(&d.Doc, &d.Text); err != nil {
			return nil, fmt.Errorf("unembedded: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// VectorsByHash returns stored vectors of model for the given text hashes.
func (s *Store) VectorsByHash(ctx context.Context, model string, hashes []string) (map[string][]float32, error) {
	out := map[string][]float32{}
	const chunk = 500
	for start := 0; start < len(hashes); start += chunk {
		part := hashes[start:min(start+chunk, len(hashes))]
		args := []any{model}
		for _, h := range part {
			args = append(args, h)
		}
		rows, err := s.read.QueryContext(ctx, `SELECT hash, vec FROM embeddings WHERE model = ? AND hash IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("vectors by hash: %w", err)
		}
		for rows.Next() {
			var h string
			var b []byte
			if err := rows.Scan(&h, &b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("vectors by hash: %w", err)
			}
			v, err := knowledge.DecodeVector(b)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("vectors by hash: %w", err)
			}
			out[h] = v
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("vectors by hash: %w", err)
		}
	}
	return out, nil
}

// PutVectors stores vectors and raises the model's watermark, in one
// transaction.
func (s *Store) PutVectors(ctx context.Context, model string, vs []knowledge.DocVector, through int64) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO embeddings(model, doc, hash, vec) VALUES (?, ?, ?, ?)
		ON CONFLICT(model, doc) DO UPDATE SET hash = excluded.hash, vec = excluded.vec`)
	if err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	defer ins.Close()
	for _, v := range vs {
		if _, err := ins.ExecContext(ctx, model, v.Doc, v.Hash, knowledge.EncodeVector(v.Vec)); err != nil {
			return fmt.Errorf("put vectors: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO embedding_state(model, through) VALUES (?, ?)
		ON CONFLICT(model) DO UPDATE SET through = max(through, excluded.through)`, model, through); err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put vectors: %w", err)
	}
	return nil
}

// ScanVectors calls fn with the model's vectors stored after since whose
// paragraphs exist.
func (s *Store) ScanVectors(ctx context.Context, model string, since int64, fn func(doc int64, vec []float32) error) (int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT e.id, e.doc, e.vec FROM embeddings e JOIN paragraphs p ON p.doc = e.doc
		WHERE +e.model = ? AND e.id > ? ORDER BY e.id`, model, since)
	if err != nil {
		return since, fmt.Errorf("scan vectors: %w", err)
	}
	defer rows.Close()
	last := since
	for rows.Next() {
		var id, doc int64
		var b []byte
		if err := rows.Scan(&id, &doc, &b); err != nil {
			return last, fmt.Errorf("scan vectors: %w", err)
		}
		v, err := knowledge.DecodeVector(b)
		if err != nil {
			return last, fmt.Errorf("scan vectors: doc %d: %w", doc, err)
		}
		if err := fn(doc, v); err != nil {
			return last, err
		}
		last = id
	}
	if err := rows.Err(); err != nil {
		return last, fmt.Errorf("scan vectors: %w", err)
	}
	return last, nil
}
