package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/ingest"
	"github.com/newsbot/newsbot/knowledge/sqlite"
)

// A real SQLite store holding one story in each situation nearmiss tells
// apart; each question lands in its class.
func TestClassifiesMisses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "rt.db")
	day := time.Date(2025, 5, 23, 0, 0, 0, 0, time.UTC)
	art := func(slug, title string, age int, paras ...string) *knowledge.Article {
		return &knowledge.Article{URL: "https://news.example/" + slug, Title: title, Source: "news.example",
			Published: day.AddDate(0, 0, -age), Paragraphs: paras}
	}
	arts := []*knowledge.Article{
		// Hit: the answer is in the paragraph the question's words find.
		art("lighthouse", "Lighthouse keeper retires", 2,
			"The lighthouse keeper of Cape Wrath, Angus Munro, retired on Tuesday after forty years."),
		// The answer paragraph shares no word with the question; its
		// article is all about it (title and leading paragraphs).
		art("airbnb", "Government orders Airbnb to remove rental listings", 3,
			"The government ordered Airbnb to remove more than 65,000 rental listings on Monday.",
			"Airbnb said it would appeal the order to remove the rental listings.",
			"Officials said the rental listings broke rules on licences.",
			"Housing has become a heated political issue.",
			"Madrid's consumer ministry spoke for Spain in a statement."),
		// Chance: the answer's word in an article about something else.
		art("tennis", "Tennis draw announced", 1, "Carlos Alcaraz (Spain) meets Holger Rune (Denmark) in the first round."),
		// Later: the answer is only in an article published after the
		// question's date.
		art("glacier", "Glacier collapse buries village", -2,
			"A glacier collapse buried the Swiss village of Blatten, in the canton of Valais."),
	}
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, probs, err := (&ingest.Ingester{Store: st}).Add(ctx, arts); err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	questions := []struct{ id, q, a, want string }{
		{"hit", "Who retired as the lighthouse keeper of Cape Wrath?", "Angus Munro", classHit},
		{"wordless", "Which country ordered Airbnb to remove rental listings?", "Spain", classArticleTop},
		{"chance", "Which country grants people copyright over their own faces?", "Denmark", classChance},
		{"later", "Which village did a glacier collapse bury?", "Blatten", classLater},
		{"none", "Who won the chess olympiad?", "Magnus Carlsen", classNone},
	}
	var qs bytes.Buffer
	for _, q := range questions {
		fmt.Fprintf(&qs, `{"id": %q, "question": %q, "answer": %q, "date": %q}`+"\n", q.id, q.q, q.a, day.Format("2006-01-02"))
	}
	qfile := filepath.Join(dir, "questions.jsonl")
	if err := os.WriteFile(qfile, qs.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	o := options{db: db, questions: qfile, k: 10, depth: 3000, before: 7, after: 3, relevant: 0.3, asJSON: true}
	var out bytes.Buffer
	if err := run(ctx, o, &out); err != nil {
		t.Fatal(err)
	}
	got := map[string]record{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		got[r.ID] = r
	}
	for _, q := range questions {
		r := got[q.id]
		if r.Class != q.want {
			t.Errorf("%s: class %q, want %q (%+v)", q.id, r.Class, q.want, r.Paras)
		}
	}
	// Both near articles holding "Spain" are listed, the one about the
	// question first: its paragraph 5, which the first stage does not
	// find, of the article it ranks first.
	if p := got["wordless"].Paras; len(p) != 2 || p[0].Paragraph != 5 || p[0].FirstStage != 0 || p[0].ArticleRank != 1 || p[0].ArticleCov < 0.3 || p[1].ArticleCov >= 0.3 {
		t.Errorf("wordless: paragraphs %+v, want paragraph 5, not ranked, of the first-ranked article, then the tennis draw", p)
	}
	// The summary counts each class once.
	o.asJSON = false
	out.Reset()
	if err := run(ctx, o, &out); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{classHit, classArticleTop, classChance, classLater, classNone} {
		if !strings.Contains(out.String(), "    1   20.0%  "+c) {
			t.Errorf("summary lacks %q once:\n%s", c, out.String())
		}
	}
}
