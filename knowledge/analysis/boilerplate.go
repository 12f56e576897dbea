package analysis

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of boilerplate paragraph: what a news page carries beside the story.
const (
	BoilerCaption    = "caption"    // photo, video and gallery captions and credits
	BoilerTimestamp  = "timestamp"  // "Updated July 8, 2026, 7:02 a.m."
	BoilerBio        = "bio"        // author bios, contact and reporting lines
	BoilerNewsletter = "newsletter" // newsletter, subscribe and follow prompts
	BoilerShare      = "share"      // share, related, read-more and navigation lines
	BoilerAd         = "ad"         // advertising
)

const (
	month   = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	clock   = `\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|h\d{2})?`
	agency  = `(?:getty images|ap|afp|reuters|epa|shutterstock|alamy|bloomberg|anadolu|sipa|dpa|xinhua|nurphoto|pa(?: media| wire)?|the associated press|associated press|efe|ansa|imago|zuma(?: press)?|eyevine|rex|abaca|sopa images|lightrocket|ap images|usa today(?: network)?|pool|handout|courtesy)`
	ageAgo  = `\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago`
	weekday = `(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?`
)

// boilerplate patterns, each for a whole (short) paragraph.
var boilerplate = []struct {
	kind string
	re   *regexp.Regexp
}{
	{BoilerCaption, regexp.MustCompile(`(?i)^(?:hide|show|expand|close)?\s*caption\b|^(?:photo|image|picture|video|gallery|foto|bild|photograph|photos|slideshow)s?\s*(?:\d+\s*(?:of|/)\s*\d+)?\s*[:|–—-]|^image source\b|^(?:photo|image|foto|bild|photograph|video)s?\s*(?:credit|source|by)?\s*[:©]|^©|\bcopyright\b.{0,40}$|^\(?(?:ap|afp|reuters|epa)\s+photo\b|^(?:video|watch|listen)\s*[:|]`)},
	{BoilerCaption, regexp.MustCompile(`(?i)^[^.!?]{0,80}/\s*` + agency + `(?:\s+via\s+[^.!?]{1,40})?\)?\.?$|^\(?(?:photo|image|foto)s?\s+(?:by|credit|courtesy(?: of)?)\s+[^.!?]{2,80}\)?\.?$|\((?:photo|image|foto)s?(?:\s+by|:)?\s+[^()]{2,80}\)\.?$|^\d+\s*(?:of|/)\s*\d+\s*$`)},
	{BoilerTimestamp, regexp.MustCompile(`(?i)^(?:(?:last\s+)?updated|published|posted|modified|first published|updated on|published on|posted on|mis à jour(?: le)?|publié(?: le)?|aktualisiert(?: am)?|veröffentlicht(?: am)?|actualizado(?: el)?|publicado(?: el)?)\b[\s:,]*(?:on\s+|at\s+|le\s+|am\s+|el\s+)?(?:` + weekday + `,?\s*)?(?:` + month + `\s+\d{1,2}|\d{1,2}\.?\s+` + month + `|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|` + clock + `|` + ageAgo + `|today|yesterday)[^.!?]{0,60}\.?$`)},
	{BoilerTimestamp, regexp.MustCompile(`(?i)^(?:` + ageAgo + `|` + clock + `\s*(?:[a-z]{2,4})?,?\s*(?:` + weekday + `,?\s*)?` + month + `\s+\d{1,2},?\s*\d{4}|(?:` + weekday + `,?\s*)?` + month + `\s+\d{1,2},?\s*\d{4}(?:,?\s*(?:at\s+)?` + clock + `\s*[a-z]{0,4})?)\.?$`)},
	{BoilerBio, regexp.MustCompile(`(?i)^(?:(?:additional\s+)?reporting by|editing by|written by|compiled by|contributing:|contributors?:|(?:contact|email|reach|write to)\s+(?:the\s+)?(?:author|reporter|writer|us|him|her|them|[A-Z][a-z]+)\b.{0,80}(?:@|\bat\b)|follow\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s+on\s+(?:twitter|x|instagram|facebook|threads|bluesky|linkedin|mastodon)\b)`)},
	{BoilerBio, regexp.MustCompile(`^[A-Z][\p{L}'.-]+(?:\s+[A-Z][\p{L}'.-]+){0,3}\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\p{L}-]+\s+){0,5}(?:reporter|correspondent|writer|editor|columnist|journalist|producer|photographer|critic)\b(?:[^.!?]{0,120}(?:for|at|with)\s+[^.!?]{2,80})?\.?$`)},
	{BoilerBio, regexp.MustCompile(`(?i)^[^\s]+@[^\s]+\.[a-z]{2,}$`)},
	{BoilerNewsletter, regexp.MustCompile(`(?i)^(?:[•*►▶→-]\s*)?(?:(?:sign up|subscribe|register)\b|get (?:our|the)\b.{0,60}(?:newsletter|inbox|delivered|alerts|app)|don'?t miss|never miss|stay (?:informed|up to date|in the know)|join (?:our|the)\b.{0,40}(?:newsletter|community|whatsapp|channel|list)|follow us\b|like us on\b|download (?:our|the)\b.{0,30}\bapp\b|abonnez-vous|inscrivez-vous|newsletter\b|jetzt abonnieren|suscríbete)`)},
	{BoilerNewsletter, regexp.MustCompile(`(?i)\b(?:sign up|subscribe)\b[^.!?]{0,80}\b(?:newsletter|inbox|free|now|today|here)\b[^.!?]{0,40}[.!]?$`)},
	{BoilerShare, regexp.MustCompile(`(?i)^(?:[•*►▶→-]\s*)?(?:share (?:this|on|via|the)\b|share$|copy link|print(?: this)?(?: article| page| story)?$|email (?:this|a friend)|save (?:this )?(?:article|story)|(?:read|see|watch|listen)(?: more| also| next| the full| now)?\s*[:|»›>]|related(?: stories| articles| coverage| content| reading| topics)?\s*[:|»›>]|more (?:from|on|about|stories)\b.{0,40}$|click here\b|tap here\b|(?:also|further) read\s*:|lire aussi|weiterlesen|lesen sie auch|leer más|continue reading|keep reading|recommended\s*(?:for you|stories)?\s*[:|]?$|trending(?: now)?\s*[:|]?$|most (?:read|popular|viewed)\s*[:|]?$|comments?(?:\s*\(\d+\))?$|(?:\d+\s+)?comments?$|back to (?:top|home)|skip to (?:main )?content|view (?:comments|gallery|all)\b)`)},
	{BoilerAd, regexp.MustCompile(`(?i)^(?:[-–—\s]*)(?:advertisement|advertising|sponsored(?: content| by| post)?|paid (?:content|post|partner)|partner content|ad feature|story continues (?:below|after)(?: (?:the )?(?:advertisement|ad))?|article continues (?:below|after)|scroll to continue|anzeige|publicité|publicidad)\b[^.!?]{0,60}[.!]?$`)},
}

// more boilerplate lines, one pattern a kind; `(?:$|[^\pL])` ends a word
// where \b would not (it is ASCII-only: "publicité").
var more = []struct {
	kind string
	re   *regexp.Regexp
}{
	{BoilerCaption, regexp.MustCompile(`(?i)^(?:toggle caption|open gallery(?: view)?|view gallery|enlarge (?:this )?image|file photo\s*:|(?:staff |file )?photo illustration\b|(?:staff|file|courtesy) photo\b|courtesy of\b[^.!?]{0,60}$|credit\s*:|\d+\s+of\s+\d+\s*[|:]|(?:` + agency + `)(?:[-/](?:` + agency + `))*\s*/\s*[\p{L} .'-]{2,40}$|(?:` + agency + `)\s+via\s+[\p{L} .'-]{2,40}$)|[.!?]\s+(?:credit|photo|image|foto)\s*:\s*[^.!?]{2,80}$|\b(?:reuters|afp|ap|epa(?:-efe)?)/[\p{L}' .-]{2,40}(?:/file photo)?\.?$`)},
	{BoilerTimestamp, regexp.MustCompile(`(?i)^(?:(?:last\s+)?(?:updated|modified)|(?:first|originally)\s+published|publiziert|aktualisiert|stand|mis à jour|publié|actualizado|publicado)(?:\s+(?:on|at|am|le|el))?\s*[:,]?\s*.{0,70}\d.{0,30}$|^(?:il y a|vor|hace|há)\s+\d+\s+\pL+$|^(?:today|yesterday|aujourd'hui|hier|gestern|heute|ayer|hoy)\s*(?:at|à|um|a las)?\s*\d{1,2}[:.h]\d{2}.{0,12}$|^\d{1,2}\s+` + month + `\s+\d{4},?\s+\d{1,2}[:.]\d{2}.{0,12}$|^` + month + `\s+\d{1,2},?\s+\d{4}\s*[|•·,]\s*\d{1,2}[:.]\d{2}.{0,12}$|^\d+\s*(?:min|mins|minutes|hours?|hrs?|h)\s+ago$`)},
	{BoilerBio, regexp.MustCompile(`(?i)^(?:about the author\s*:|this (?:article|story|piece) was (?:written|reported|produced) by\b|have a (?:news )?tip\b|got a tip\b|e-?mail\s*:\s*\S+@|by\s+[\p{Lu}][\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]+){0,3},\s+(?:staff|senior|special|contributing|chief)?\s*(?:writer|reporter|correspondent|editor)\.?$|mit material von\b|con información de\b|avec (?:l'?)?afp\b|par\s+[\p{Lu}][\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]+){0,3},\s+journaliste\b|die autorin ist\b|der autor ist\b)|(?:contributed|contributed reporting) to this (?:report|story|article)\.?$|^[\p{Lu}][\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]+){1,3}\s+(?:covers|writes about)\s+[^.!?]{3,80}\.\s+(?:he|she|they)\s+(?:joined|has|previously|lives)\b|^[\p{Lu}][\p{L}'.-]+(?:\s+[\p{Lu}][\p{L}'.-]+){1,3}\s+(?:est|es|ist)\s+(?:journaliste|corresponsal|periodista|korrespondent(?:in)?|redakteur(?:in)?|reporter(?:in)?)\b`)},
	{BoilerNewsletter, regexp.MustCompile(`(?i)^(?:thanks? (?:you )?for (?:signing up|subscribing)|by signing up\b|already (?:a )?(?:subscriber|registered|have an account)|to continue reading\b|this (?:article|story|content) is (?:for|only for|available to) (?:subscribers|members)|want more\b[^.!?]{0,40}\?\s*(?:subscribe|sign up)|get alerts\b|turn on (?:push )?notifications|síguenos\b|folgen sie uns\b|suivez-nous\b)|\b(?:jetzt abonnieren|abonnez-vous)(?:$|[^\pL])`)},
	{BoilerShare, regexp.MustCompile(`(?i)^(?:link copied|gift this (?:article|story)|you (?:may|might) also like|show (?:all )?comments|next (?:article|story)|previous (?:article|story)|see all (?:stories|articles)|explore more on these topics|mehr zum thema|más información|à lire aussi|a lire aussi|listen to this (?:article|story)|read the full (?:story|article|report)(?: here)?|related coverage|top stories|in other news\s*:?$)`)},
	{BoilerAd, regexp.MustCompile(`(?i)^(?:report this ad|ad feedback|promoted stories|advertise with us|content from our partners|this (?:content|article|post) (?:is|was) (?:sponsored|paid for|produced) by\b|la suite après cette publicité|the story continues (?:after|below) the (?:advertisement|ad)|werbung|publicité|anuncio|reklame)(?:$|[^\pL])`)},
}

// maxBoilerplateRunes: longer paragraphs are story text whatever they start
// with (a caption or a bio is short).
const maxBoilerplateRunes = 300

// longBoilerplateBytes: paragraphs longer than this are boilerplate only
// when they hold one of cues (time stamps and short credits are shorter).
// Most story paragraphs are, and hold none, so the patterns are not run
// on them: they cost tens of microseconds a paragraph, on every search.
const longBoilerplateBytes = 120

var cues = []string{"sign up", "subscri", "newsletter", "follow", "contact", "@", "report", "writer", "editor",
	"columnist", "journalist", "contribut", "covers", "correspond", "photo", "image", "caption", "getty", "/",
	"credit", "foto", "©", "copyright", "read", "related", "click", "advert", "sponsor", "mail", "autor", "abonn",
	"inscri", "suscr", "folgen", "síguenos", "suivez", "publi", "continues", "author"}

// hasCue reports whether p (lower-cased for the test only) holds a cue.
func hasCue(p string) bool {
	low := strings.ToLower(p)
	for _, c := range cues {
		if strings.Contains(low, c) {
			return true
		}
	}
	return false
}

// reLabel matches a label that tools put before a summary: "AI-assisted
// summary:", "Summary (AI):". The text after it is kept.
var reLabel = regexp.MustCompile(`(?i)^(?:(?:an?\s+)?ai[- ](?:assisted|generated|powered|written)\s+summary|summary\s*\((?:ai|generated)\)|ai summary|key points \(ai\))\s*[:—–-]?\s*`)

// reStamp matches the time stamp a live-updates page puts before each
// entry: "7:55 pm ET May 2, 2026 Share this update". A time alone is kept
// ("10:15 a.m.: The president arrived." is a timeline, not a stamp): it
// must come with its zone and date, or with the share prompt.
var reStamp = regexp.MustCompile(`^(?:Updated\s+)?\d{1,2}:\d{2}\s*(?i:[ap]\.?\s?m\.?)\s+(?:(?:[A-Z]{2,4}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\s*(?:Share this update\s*)?|(?:[A-Z]{2,4}\s+)?Share this update\s*)`)

// BoilerplateKind tells what kind of boilerplate paragraph p is (one of
// the Boiler* kinds), or "" for story text. It looks at the whole
// paragraph and errs towards "": dropping a real paragraph costs more than
// keeping a caption.
func BoilerplateKind(p string) string {
	p = strings.TrimSpace(p)
	if p == "" || utf8.RuneCountInString(p) > maxBoilerplateRunes {
		return ""
	}
	p = strings.TrimFunc(p, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("•*►▶→—–-|·", r) })
	if len(p) > longBoilerplateBytes && !hasCue(p) {
		return "" // a long paragraph without a word boilerplate is made of: story text, decided cheaply
	}
	for _, set := range [][]struct {
		kind string
		re   *regexp.Regexp
	}{boilerplate, more} {
		for _, b := range set {
			if b.re.MatchString(p) {
				return b.kind
			}
		}
	}
	return ""
}

// StripLabel removes a leading summary label ("AI-assisted summary:") or
// live-update stamp ("7:55 pm ET May 2, 2026 Share this update") from a
// paragraph, keeping its text.
func StripLabel(p string) string {
	for _, re := range []*regexp.Regexp{reStamp, reLabel} {
		if loc := re.FindStringIndex(p); loc != nil && loc[1] < len(p) {
			p = p[loc[1]:]
		}
	}
	return p
}
