package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/story"
)

// RunStories runs the suite of knowledge.StoryStore, through
// knowledge/story, against stores from open, which must implement it.
func RunStories(t *testing.T, open Opener) {
	ss := func(t *testing.T) (knowledge.Store, knowledge.StoryStore) {
		s := open(t)
		v, ok := s.(knowledge.StoryStore)
		if !ok {
			t.Fatalf("%T does not implement knowledge.StoryStore", s)
		}
		return s, v
	}
	t.Run("GroupsReportsOfOneEvent", func(t *testing.T) { testStoriesGroup(t, ss) })
	t.Run("ReingestAndUpdateKeepTheStory", func(t *testing.T) { testStoriesKeep(t, ss) })
	t.Run("DeletedArticlesLeaveTheirStory", func(t *testing.T) { testStoriesDelete(t, ss) })
	t.Run("DeletionRefreshesTitleOutletsAndDates", func(t *testing.T) { testStoriesDeleteRefresh(t, ss) })
}

// storyArticles are invented: two outlets on one flood in Valencia over
// three days, a flood in the Valencia province of Venezuela (the same kind
// of event, a look-alike name), an unrelated story sharing a word, and a
// second report of the Valencia flood a week later than the rest allow.
func storyArticles() []*knowledge.Article {
	d := func(day int) time.Time { return time.Date(2025, 6, day, 9, 0, 0, 0, time.UTC) }
	a := func(url, src, title string, day int, paras ...string) *knowledge.Article {
		return &knowledge.Article{URL: url, Source: src, Title: title, Published: d(day), Paragraphs: paras}
	}
	return []*knowledge.Article{
		a("https://ap.example/flood-1", "AP", "Floods in Valencia kill 12 as the Turia bursts its banks", 3,
			"VALENCIA, Spain (AP) — Flash floods killed at least 12 people in the Spanish city of Valencia on Tuesday after the Turia River burst its banks, said Mayor Carmen Lloret.",
			"Emergency services in Paiporta and Catarroja rescued dozens from cars, and the Generalitat asked residents to stay at home."),
		a("https://reuters.example/flood-2", "Reuters", "Valencia flood toll rises to 15, Mayor Lloret says", 4,
			"The death toll from the floods in Valencia rose to 15 on Wednesday, Mayor Carmen Lloret said, as the Turia River receded and rescuers searched Paiporta.",
			"The Generalitat declared three days of mourning; Catarroja remained without power."),
		a("https://bbc.example/flood-3", "BBC", "Spain mourns Valencia flood victims", 5,
			"Spain observed a minute's silence on Thursday for the victims of the Valencia floods, as Mayor Carmen Lloret visited Paiporta and Catarroja with King Felipe.",
			"The Turia River is back within its banks."),
		a("https://ve.example/flood", "El Universal", "Floods in Valencia, Venezuela, leave families homeless", 4,
			"Heavy rain flooded neighbourhoods of Valencia, the capital of Carabobo state in Venezuela, on Wednesday, Governor Rafael Lacava said.",
			"Civil protection crews in Naguanagua and Los Guayos moved 300 families to shelters."),
		a("https://ap.example/cup", "AP", "Valencia beat Sevilla to reach the cup final", 4,
			"Valencia beat Sevilla 2-1 at Mestalla on Wednesday to reach the Copa del Rey final, with goals from Hugo Duro and Diego López.",
			"Coach Carlos Corberán praised the fans."),
		a("https://ap.example/flood-late", "AP", "Valencia flood inquiry opens", 20,
			"An inquiry into the Valencia floods opened on Friday, as Mayor Carmen Lloret and the Generalitat faced questions about warnings for Paiporta and Catarroja and the Turia River.",
			"Families of the victims attended."),
	}
}

func assign(t *testing.T, s knowledge.Store, now time.Time, arts ...*knowledge.Article) {
	t.Helper()
	res := apply(t, s, now, arts...)
	changed := map[string]bool{}
	for _, id := range append(res.AddedIDs, res.UpdatedIDs...) {
		changed[id] = true
	}
	var batch []*knowledge.Article
	for _, a := range arts {
		if changed[a.ID] {
			batch = append(batch, a)
		}
	}
	if err := story.Assign(context.Background(), s, batch, now); err != nil {
		t.Fatalf("assign: %v", err)
	}
}

func storyOf(t *testing.T, ss knowledge.StoryStore, arts []*knowledge.Article) map[string]string {
	t.Helper()
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	m, err := ss.StoriesOf(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func testStoriesGroup(t *testing.T, open func(*testing.T) (knowledge.Store, knowledge.StoryStore)) {
	s, ss := open(t)
	defer s.Close()
	arts := storyArticles()
	// One at a time, as a feed brings them, out of date order.
	for _, i := range []int{1, 3, 0, 4, 2, 5} {
		assign(t, s, t0, arts[i])
	}
	of := storyOf(t, ss, arts)
	if len(of) != len(arts) {
		t.Fatalf("stories of %d articles, want %d: %v", len(of), len(arts), of)
	}
	if of[arts[0].ID] != of[arts[1].ID] || of[arts[1].ID] != of[arts[2].ID] {
		t.Errorf("the three reports of the Valencia flood are in stories %s, %s, %s; want one", of[arts[0].ID], of[arts[1].ID], of[arts[2].ID])
	}
	for _, i := range []int{3, 4, 5} {
		if of[arts[i].ID] == of[arts[0].ID] {
			t.Errorf("%q joined the Valencia flood story", arts[i].Title)
		}
	}
	sts, err := ss.Stories(context.Background(), knowledge.LatestQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 4 {
		t.Fatalf("Stories = %d stories, want 4: %+v", len(sts), sts)
	}
	if sts[0].ID != arts[5].ID {
		t.Errorf("newest story = %s, want the inquiry %s", sts[0].ID, arts[5].ID)
	}
	var flood knowledge.Story
	for _, st := range sts {
		if st.ID == of[arts[0].ID] {
			flood = st
		}
	}
	if flood.ID != arts[1].ID {
		t.Errorf("the flood story's id = %q, want that of the article that started it, %s", flood.ID, arts[1].ID)
	}
	if flood.Articles != 3 || len(flood.Members) != 3 || !flood.First.Equal(arts[0].Published) || !flood.Last.Equal(arts[2].Published) {
		t.Errorf("flood story = %+v, want 3 articles from 3 to 5 June", flood)
	}
	if want := []string{"Reuters", "AP", "BBC"}; !reflect.DeepEqual(sortedFrom(flood.Sources), sortedFrom(want)) || flood.Title == "" {
		t.Errorf("flood story outlets %v, title %q; want %v and a headline", flood.Sources, flood.Title, want)
	}
	if m := flood.Members; len(m) == 3 && (m[0].ArticleID != arts[2].ID || m[0].URL != arts[2].URL || m[0].Source != "BBC" || m[0].Features != "") {
		t.Errorf("first member = %+v, want the newest article (BBC) with its URL and no features", m[0])
	}
	since, err := ss.Stories(context.Background(), knowledge.LatestQuery{Limit: 10, Since: arts[2].Published, Until: arts[5].Published})
	if err != nil || len(since) != 1 || since[0].ID != flood.ID {
		t.Errorf("Stories in [5 June, 20 June) = %+v, %v; want the flood story", since, err)
	}
}

func sortedFrom(ss []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func testStoriesKeep(t *testing.T, open func(*testing.T) (knowledge.Store, knowledge.StoryStore)) {
	s, ss := open(t)
	defer s.Close()
	arts := storyArticles()[:3]
	assign(t, s, t0, arts...)
	before := storyOf(t, ss, arts)
	if before[arts[0].ID] == "" || before[arts[0].ID] != before[arts[2].ID] {
		t.Fatalf("stories %v, want one for the three reports", before)
	}
	again := storyArticles()[:3]
	assign(t, s, t0.Add(time.Hour), again...)
	changed := storyArticles()[1]
	changed.Title = "Valencia: toll 15"
	changed.Paragraphs = []string{"Unrelated words now: a bakery opened on Main Street."}
	assign(t, s, t0.Add(2*time.Hour), changed)
	after := storyOf(t, ss, arts)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("stories after re-ingest and update = %v, want %v", after, before)
	}
	sts, err := ss.Stories(context.Background(), knowledge.LatestQuery{})
	if err != nil || len(sts) != 1 || sts[0].Articles != 3 {
		t.Errorf("Stories = %+v, %v; want one story of 3 articles", sts, err)
	}
}

// A deleted article leaves its story: the story counts one article less,
// and a story whose articles are all deleted is gone.
func testStoriesDelete(t *testing.T, open func(*testing.T) (knowledge.Store, knowledge.StoryStore)) {
	ctx := context.Background()
	s, ss := open(t)
	defer s.Close()
	arts := storyArticles()[:4] // the flood ×3, the flood in Venezuela
	assign(t, s, t0, arts...)
	if _, err := index.Delete(ctx, s, []string{arts[1].ID, arts[3].ID}); err != nil {
		t.Fatal(err)
	}
	if of := storyOf(t, ss, arts); of[arts[1].ID] != "" || of[arts[3].ID] != "" || of[arts[0].ID] == "" {
		t.Errorf("stories after deleting = %v, want none for the deleted articles", of)
	}
	sts, err := ss.Stories(ctx, knowledge.LatestQuery{})
	if err != nil || len(sts) != 1 || sts[0].Articles != 2 || len(sts[0].Members) != 2 {
		t.Errorf("Stories = %+v, %v; want the flood alone, of 2 articles", sts, err)
	}
}

// A deletion refreshes what the story shows: without its newest article
// the story ends a day earlier and loses that outlet; without the article
// it is titled by, it takes the title of the one left, and its dates.
func testStoriesDeleteRefresh(t *testing.T, open func(*testing.T) (knowledge.Store, knowledge.StoryStore)) {
	ctx := context.Background()
	s, ss := open(t)
	defer s.Close()
	arts := storyArticles()[:3] // the flood: AP 3 June, Reuters 4 June, BBC 5 June
	assign(t, s, t0, arts...)
	story := func() knowledge.Story {
		t.Helper()
		sts, err := ss.Stories(ctx, knowledge.LatestQuery{})
		if err != nil || len(sts) != 1 {
			t.Fatalf("Stories = %+v, %v; want one", sts, err)
		}
		return sts[0]
	}
	before := story()
	if !before.Last.Equal(arts[2].Published) || len(before.Sources) != 3 {
		t.Fatalf("story before deleting = %+v, want it to end on 5 June with 3 outlets", before)
	}
	if _, err := index.Delete(ctx, s, []string{arts[2].ID}); err != nil {
		t.Fatal(err)
	}
	st := story()
	if st.Articles != 2 || !st.First.Equal(arts[0].Published) || !st.Last.Equal(arts[1].Published) ||
		!reflect.DeepEqual(sortedFrom(st.Sources), sortedFrom([]string{"AP", "Reuters"})) || (st.Title != arts[0].Title && st.Title != arts[1].Title) {
		t.Errorf("story without the BBC's report = %+v; want 2 articles from 3 to 4 June by AP and Reuters, titled by one of them", st)
	}
	// Delete the article the story is titled by: the other one's title.
	titled, other := arts[0], arts[1]
	if st.Title == other.Title {
		titled, other = other, titled
	}
	if _, err := index.Delete(ctx, s, []string{titled.ID}); err != nil {
		t.Fatal(err)
	}
	st = story()
	if st.Articles != 1 || st.Title != other.Title || !st.First.Equal(other.Published) || !st.Last.Equal(other.Published) ||
		!reflect.DeepEqual(st.Sources, []string{other.Source}) || st.ID != before.ID {
		t.Errorf("story of %s's report alone = %+v; want its title, date and outlet, and the story's id kept", other.Source, st)
	}
}
