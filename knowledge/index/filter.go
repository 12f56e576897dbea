package index

import (
	"context"
	"math"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// dayBounds returns q's [Since, Until) as day numbers: calendar dates where
// they are given; publication days are UTC dates (most sources give a date
// without a time).
func dayBounds(q knowledge.Query) (int32, int32) {
	since, until := int32(math.MinInt32+1), int32(math.MaxInt32)
	if !q.Since.IsZero() {
		since = calendarDay(q.Since)
	}
	if !q.Until.IsZero() {
		until = calendarDay(q.Until)
		if u := q.Until; u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
			until++ // a bound inside a day keeps that day
		}
	}
	return since, until
}

// calendarDay is the day number of t's calendar date in its own location.
func calendarDay(t time.Time) int32 {
	return int32(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// filter returns a predicate over article slots for q's filters, or nil.
func (st *indexState) filter(q knowledge.Query) func(slot int32) bool {
	if q.Since.IsZero() && q.Until.IsZero() && len(q.Sources) == 0 {
		return nil
	}
	since, until := dayBounds(q)
	var srcOK []bool
	if len(q.Sources) > 0 {
		srcOK = make([]bool, len(st.sources))
		for i, s := range st.sources {
			srcOK[i] = knowledge.SourceMatches(s, q.Sources)
		}
	}
	dated := !q.Since.IsZero() || !q.Until.IsZero()
	return func(slot int32) bool {
		a := st.arts[slot]
		if dated && (a.pub == noDate || a.pub < since || a.pub >= until) {
			return false
		}
		return srcOK == nil || srcOK[a.src]
	}
}

// DocFilter returns a predicate reporting whether a doc is live and passes
// q's filters, as of the index's current state.
func (ix *Index) DocFilter(ctx context.Context, q knowledge.Query) (func(doc int64) bool, error) {
	st, err := ix.current(ctx)
	if err != nil {
		return nil, err
	}
	keep := st.filter(q)
	return func(doc int64) bool {
		d := doc - st.base
		if d < 0 || d >= int64(len(st.docArt)) || st.docArt[d] < 0 {
			return false
		}
		return keep == nil || keep(st.docArt[d])
	}, nil
}
