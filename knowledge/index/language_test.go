package index_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/testkit"
	"github.com/newsbot/newsbot/knowledge"
	"github.com/newsbot/newsbot/knowledge/index"
	"github.com/newsbot/newsbot/knowledge/ingest"
)

// Questions in French, German, Spanish, Russian, Chinese and Japanese find
// the invented article in their language, among the others, through that
// language's stemming or CJK bigrams (few of their words match exactly).
func TestQuestionsInTheirLanguage(t *testing.T) {
	ctx := context.Background()
	s := testkit.Store(t)
	day := time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)
	arts := []*knowledge.Article{
		{URL: "https://fr.example/tram", Title: "Lyon : le tramway T9 validé", Source: "fr.example", Published: day, Paragraphs: []string{"Selon la mairie, les travaux du tramway coûteront 40 millions d’euros et dureront trois ans."}},
		{URL: "https://de.example/bruecke", Title: "Neue Brücke in München eröffnet", Source: "de.example", Published: day, Paragraphs: []string{"Die Brücke über die Isar kostete nach Angaben der Stadt zwölf Millionen Euro."}},
		{URL: "https://es.example/trenes", Title: "Sevilla renueva su metro", Source: "es.example", Published: day, Paragraphs: []string{"El ayuntamiento de Sevilla comprará doce trenes nuevos para la línea uno del metro."}},
		{URL: "https://ru.example/most", Title: "В Казани открыли мост", Source: "ru.example", Published: day, Paragraphs: []string{"Строительство нового моста через Казанку обошлось городу в два миллиарда рублей."}},
		{URL: "https://zh.example/yuhangyuan", Title: "神舟乘组平安归来", Source: "zh.example", Published: day, Paragraphs: []string{"三名宇航员周二返回地面，完成了为期六个月的空间站任务。"}},
		{URL: "https://ja.example/kikan", Title: "飛行士が地球に戻る", Source: "ja.example", Published: day, Paragraphs: []string{"三人の宇宙飛行士が火曜日、半年間の任務を終えて地球へ帰還した。"}},
		{URL: "https://en.example/tram", Title: "Tram budget approved", Source: "en.example", Published: day, Paragraphs: []string{"The council approved the tram budget of 40 million euros on Tuesday."}},
	}
	if _, _, err := (&ingest.Ingester{Store: s}).Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	ix := index.NewIndex(s, nil)
	tests := []struct{ question, want string }{
		{"Combien coûtera le tramway ?", "https://fr.example/tram"},
		{"Wie viel hat die Brücke gekostet?", "https://de.example/bruecke"},
		{"¿Cuántos trenes compró Sevilla?", "https://es.example/trenes"},
		{"Во сколько обошлось строительство моста?", "https://ru.example/most"},
		{"宇航员什么时候返回地面？", "https://zh.example/yuhangyuan"},
		{"宇宙飛行士はいつ帰還しましたか？", "https://ja.example/kikan"},
		{"How much is the tram budget?", "https://en.example/tram"},
	}
	for _, tt := range tests {
		res, err := ix.Search(ctx, knowledge.Query{Text: tt.question, K: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Passages) == 0 || res.Passages[0].URL != tt.want {
			var got []string
			for _, p := range res.Passages {
				got = append(got, p.URL)
			}
			t.Errorf("%s: top results %q, want %s first", tt.question, got, tt.want)
		}
	}
}
