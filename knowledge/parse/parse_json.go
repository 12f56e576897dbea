package parse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
)

// record is the JSON shape of an article. Besides the documented fields
// (id, url, title, text or paragraphs, published, source, byline) it accepts
// common aliases, so exports from other tools load as they are.
type record struct {
	ID         flexString `json:"id"`
	URL        string     `json:"url"`
	Link       string     `json:"link"`
	Title      string     `json:"title"`
	Headline   string     `json:"headline"`
	Text       string     `json:"text"`
	Content    string     `json:"content"`
	Body       string     `json:"body"`
	Paragraphs []string   `json:"paragraphs"`
	Published  flexString `json:"published"`
	Date       flexString `json:"date"`
	PubDate    flexString `json:"pubDate"`
	Source     string     `json:"source"`
	Outlet     string     `json:"outlet"`
	Byline     flexString `json:"byline"`
	Author     flexString `json:"author"`
}

// flexString accepts a JSON string, number, or list of strings (joined with
// ", "), as bylines and ids come in all three.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '[':
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return fmt.Errorf("want a string or a list of strings")
		}
		*f = flexString(strings.Join(ss, ", "))
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*f = flexString(b)
	default:
		return fmt.Errorf("want a string, got %s", b)
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// article converts a record into an Article, or explains what is wrong.
func (r *record) article() (*knowledge.Article, []string, error) {
	var warnings []string
	a := &knowledge.Article{
		ID:     strings.TrimSpace(string(r.ID)),
		URL:    strings.TrimSpace(firstNonEmpty(r.URL, r.Link)),
		Title:  firstNonEmpty(r.Title, r.Headline),
		Source: firstNonEmpty(r.Source, r.Outlet),
		Byline: firstNonEmpty(string(r.Byline), string(r.Author)),
	}
	if len(r.Paragraphs) > 0 {
		a.Paragraphs = r.Paragraphs
	} else {
		a.Paragraphs = SplitParagraphs(firstNonEmpty(r.Text, r.Content, r.Body))
	}
	if d := firstNonEmpty(string(r.Published), string(r.Date), string(r.PubDate)); d != "" {
		t, err := ParseTime(d)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("published %q is not a date I understand; keeping the article without a date", d))
		} else {
			a.Published = t
		}
	}
	return a, warnings, nil
}

// timeLayouts are the date formats accepted in article metadata.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006-01-02", "2006/01/02", time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006",
}

// ParseTime parses a publication date in one of the common formats (ISO
// 8601 / RFC 3339, RFC 1123, plain dates, unix seconds). Times without a
// zone are taken as UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		if n > 1e12 { // milliseconds
			n /= 1000
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q", s)
}
