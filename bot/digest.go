package bot

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/analysis"
	"github.com/newsbot/newsbot/knowledge/parse"
)

// digestSize is how many articles a digest quotes.
const digestSize = 5

// newsWords are, per language answers are worded in, the words of a
// question for the news in general rather than about a subject: news are
// those naming the news itself ("news", "latest", "Neues"), general the
// others such questions are made of ("what happened?", "tell me").
var newsWords = []struct{ lang, news, general string }{
	{"en", "new news latest headline headlines",
		"update updates story stories happen happened happening going go top big biggest main important anything something tell know hear heard say today's"},
	{"fr", "nouveau nouveaux nouvelle nouvelles neuf actualité actualités info infos titres",
		"quoi qu'est ce s'est passé passe arrivé dernières derniers principales importantes important raconte dis savoir"},
	{"de", "neu neues neue neuigkeiten nachrichten schlagzeilen meldungen aktuell aktuelles",
		"gibt gibt's passiert geschehen los wichtigste wichtigsten neueste neuesten erzähl erzähle"},
	{"es", "nuevo nueva nuevos novedades noticias noticia titulares",
		"hay pasó pasado pasa ocurrió sucedió últimas últimos principales importante cuáles cuéntame"},
	{"pt", "novo nova novos novidades notícias notícia manchetes",
		"há aconteceu acontecendo últimas últimos principais importantes quais conta"},
	{"it", "nuovo nuova nuovi novità notizie notizia titoli",
		"c'è successo accaduto succede ultime ultimi principali importanti quali dimmi"},
	{"ru", "новое нового новости новостей заголовки",
		"случилось произошло происходит последние главные важные какие расскажи"},
	{"zh", "新闻 消息 头条 新鲜事 最新",
		"有什么 发生了什么 什么事 重要"},
	{"ja", "ニュース 最新 見出し 新しい",
		"何があった 何か 出来事 起きた 主な"},
}

// newsLang is one language's newsWords, ready to match: the terms of its
// words analysed in it, or, in a language written without spaces (Chinese,
// Japanese: terms are character bigrams, which run across words), the
// phrases themselves.
type newsLang struct {
	lang                string
	news, all           map[string]bool
	newsPhrases, phrase []string
}

var newsLangs = func() []newsLang {
	var out []newsLang
	for _, w := range newsWords {
		l := newsLang{lang: w.lang, news: map[string]bool{}, all: map[string]bool{}}
		if w.lang == "zh" || w.lang == "ja" {
			l.newsPhrases = strings.Fields(w.news)
			l.phrase = append(strings.Fields(w.news), strings.Fields(w.general)...)
			// The longest first, so that a phrase inside another is not
			// removed alone.
			sort.Slice(l.phrase, func(i, j int) bool { return len(l.phrase[i]) > len(l.phrase[j]) })
		}
		for _, term := range analysis.TermsIn(w.news, w.lang, nil) {
			l.news[term], l.all[term] = true, true
		}
		for _, term := range analysis.TermsIn(w.general, w.lang, nil) {
			l.all[term] = true
		}
		out = append(out, l)
	}
	return out
}()

// isNews reports whether text, in l's language, is made of its news words
// only.
func (l *newsLang) isNews(text string, buf []string) bool {
	if l.phrase == nil {
		terms := analysis.TermsIn(text, l.lang, buf[:0])
		return len(terms) > 0 && allIn(terms, l.all)
	}
	rest, found := text, false
	for _, p := range l.phrase {
		if strings.Contains(rest, p) {
			rest, found = strings.ReplaceAll(rest, p, " "), true
		}
	}
	return found && len(analysis.TermsIn(rest, l.lang, buf[:0])) == 0
}

// namesNews reports whether text, in l's language, names the news itself.
func (l *newsLang) namesNews(text string, buf []string) bool {
	for _, p := range l.newsPhrases {
		if strings.Contains(text, p) {
			return true
		}
	}
	for _, t := range analysis.TermsIn(text, l.lang, buf[:0]) {
		if l.news[t] {
			return true
		}
	}
	return false
}

// asksForNews reports whether text (a question without its time
// expression) asks for the news in general: in one of the languages of
// newsWords, it has words, and all of them are about news in general
// ("what happened?", "any news?", "Was gibt es Neues?", "有什么新闻？"),
// none about a subject. Each language is tried, so that a short question
// the analyser takes for another language still counts.
func asksForNews(text string) bool {
	var buf []string
	for i := range newsLangs {
		if newsLangs[i].isNews(text, buf) {
			return true
		}
	}
	return false
}

// allIn reports whether every one of terms is in set.
func allIn(terms []string, set map[string]bool) bool {
	for _, t := range terms {
		if !set[t] {
			return false
		}
	}
	return true
}

// asksForHeadlines reports whether text, asked in a conversation, is for
// the news in general rather than a follow-up: it names the news itself
// ("what's new?", "any news?", "Quoi de neuf ?"), while "what happened?"
// may be about the subject so far.
func asksForHeadlines(text string) bool {
	if followUpCue.MatchString(text) {
		return false
	}
	var buf []string
	for i := range newsLangs {
		if newsLangs[i].namesNews(text, buf) {
			return true
		}
	}
	return false
}

// digest answers a question for the news in general with the headlines of
// the newest articles (of the window, when the question named one), one
// line per story: articles of one story (knowledge/story, when the store
// keeps stories) or with the same headline (wire copies, updates) are one
// line naming the other outlets. Each line cites its article's
// first paragraph. When the window holds no article, the lines are the
// newest articles before until (the as-of horizon), and the answer says
// that nothing is from the window (r.outside): "what happened yesterday?"
// on a store last filled a week ago.
func (b *Bot) digest(ctx context.Context, q Question, r *retrieval, until time.Time) error {
	lq := knowledge.LatestQuery{Limit: 4 * digestSize, Since: r.window.Since, Until: r.window.Until}
	if !until.IsZero() && (lq.Until.IsZero() || until.Before(lq.Until)) {
		lq.Until = until
	}
	if err := b.digestOf(ctx, q, r, lq); err != nil || len(r.sel) > 0 || r.window.IsZero() {
		return err
	}
	r.outside = true
	return b.digestOf(ctx, q, r, knowledge.LatestQuery{Limit: lq.Limit, Until: until})
}

// digestOf fills r with the headlines of the articles lq finds.
func (b *Bot) digestOf(ctx context.Context, q Question, r *retrieval, lq knowledge.LatestQuery) error {
	arts, err := b.Library.Latest(ctx, lq)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	arts = inQuestionLanguage(q.Text, arts)
	r.res = &knowledge.Result{}
	var storyOf map[string]string
	if ss, ok := b.Library.(knowledge.StoryStore); ok && len(arts) > 0 {
		ids := make([]string, len(arts))
		for i, a := range arts {
			ids[i] = a.ID
		}
		if storyOf, err = ss.StoriesOf(ctx, ids); err != nil {
			return fmt.Errorf("digest: %w", err)
		}
	}
	byTitle := map[string]int{} // headline or story key -> index in r.sel
	for _, a := range arts {
		if len(q.Sources) > 0 && !knowledge.SourceMatches(a.Source, q.Sources) {
			continue
		}
		key := headlineKey(a.Title)
		if st := storyOf[a.ID]; st != "" {
			key = "story " + st
			if i, ok := byTitle[headlineKey(a.Title)]; ok && headlineKey(a.Title) != "" {
				byTitle[key] = i // a copy of a headline already listed
			}
		}
		if i, ok := byTitle[key]; ok && key != "" {
			r.sel[i].also = appendOutlet(r.sel[i].also, r.sel[i].passage.Source, a.Source)
			continue
		}
		if len(r.sel) == digestSize {
			continue // still folding copies into the lines kept
		}
		full, err := b.Library.Article(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		if len(full.Paragraphs) == 0 {
			continue
		}
		p := knowledge.Passage{ArticleID: full.ID, URL: full.URL, Title: full.Title, Source: full.Source, Byline: full.Byline,
			Published: full.Published, Updated: full.Updated, FirstSeen: full.FirstSeen, Lang: full.Lang, Paragraph: 1, Text: full.Paragraphs[0]}
		headline := strings.Join(strings.Fields(full.Title), " ")
		if headline == "" {
			sents := analysis.Sentences(parse.StripDateline(p.Text))
			if len(sents) == 0 {
				continue
			}
			headline = sents[0]
		}
		if key != "" {
			byTitle[key] = len(r.sel)
			if k := headlineKey(a.Title); k != "" {
				byTitle[k] = len(r.sel)
			}
		}
		r.res.Passages = append(r.res.Passages, p)
		r.sel = append(r.sel, picked{text: clip(headline, maxTitleRunes), passage: p})
	}
	r.digest = true
	return nil
}

// inQuestionLanguage keeps the articles in the question's language when
// Detect is sure of it and some are ("Was gibt es Neues?" lists the German
// headlines), as quotes do (sameLanguage); all of them otherwise.
func inQuestionLanguage(question string, arts []*knowledge.Article) []*knowledge.Article {
	lang := sureLanguage(question, func(lang string) bool {
		return slices.ContainsFunc(arts, func(a *knowledge.Article) bool { return a.Lang == lang })
	})
	if lang == "" {
		return arts
	}
	return slices.DeleteFunc(arts, func(a *knowledge.Article) bool { return a.Lang != lang })
}

// headlineKey is what two copies of one story's headline share: its words,
// lower case; "" for no headline.
func headlineKey(title string) string {
	return strings.Join(analysis.Terms(title, nil), " ")
}

// appendOutlet adds src to also unless it is own or already there.
func appendOutlet(also []string, own, src string) []string {
	if src == "" || strings.EqualFold(src, own) {
		return also
	}
	for _, a := range also {
		if strings.EqualFold(a, src) {
			return also
		}
	}
	return append(also, src)
}
