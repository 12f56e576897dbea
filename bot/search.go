package bot

import (
	"context"

	"github.com/newsbot/newsbot/knowledge"
)

// Correction is one word of a question read as another before searching
// (spell.go): From as typed, To as read. Quiet is set when answers leave
// it unsaid: To is a stop word ("whre" → "where"), or another form of the
// same word or name ("Witkof" → "Witkoff").
type Correction struct {
	From, To string
	Quiet    bool
}

// corrections returns fixes as Corrections; nil for none.
func corrections(fixes []spellFix) []Correction {
	var out []Correction
	for _, f := range fixes {
		out = append(out, Correction{From: f.From, To: f.To, Quiet: f.Quiet})
	}
	return out
}

// Searched is what SearchAsked found for a question: the passages, best
// first, and the words of the question read as others to find them.
type Searched struct {
	Result *knowledge.Result
	// Corrected are the words read as others, as in Answer.Corrected.
	Corrected []Correction
	// ReadAs says those not Quiet, in the question's language ("I read
	// “tlaks” as “talks”."): what an answer ends with; "" when there are
	// none.
	ReadAs string
}

// SearchAsked returns the k passages the bot would answer q from — after
// correcting its spelling as Ask does, and reading its time expressions,
// its as-of date and its conversation — best first, with what it read as
// what. It is what `newsbot search` shows.
func (b *Bot) SearchAsked(ctx context.Context, q Question, k int) (*Searched, error) {
	q, asked, fixes, err := b.read(ctx, q)
	if err != nil {
		return nil, err
	}
	r, err := b.retrieve(ctx, q, k)
	if err != nil {
		return nil, err
	}
	s := &Searched{Result: r.res, Corrected: corrections(fixes), ReadAs: b.readAs(asked, fixes)}
	if s.Result == nil {
		s.Result = &knowledge.Result{}
	}
	return s, nil
}

// Search is SearchAsked's passages: what `newsbot eval` measures.
func (b *Bot) Search(ctx context.Context, q Question, k int) (*knowledge.Result, error) {
	s, err := b.SearchAsked(ctx, q, k)
	if err != nil {
		return nil, err
	}
	return s.Result, nil
}
