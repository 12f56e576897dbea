package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// countries and usStates name the places "which country" and "which state"
// questions ask for, so that a paragraph naming one can be told from a
// paragraph that only names the topic.
var countries = strings.Split("Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Greenland|Grenada|Guatemala|Guinea|Guyana|Haiti|Honduras|Hong Kong|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Scotland|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad|Tunisia|Turkey|Turkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|Britain|England|Wales|United States|U.S.|USA|America|Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe", "|")

var usStates = strings.Split("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming", "|")

// cities are large and often-reported cities, for "which city" questions.
var cities = strings.Split("New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|San Jose|Austin|Jacksonville|Fort Worth|Columbus|Charlotte|San Francisco|Indianapolis|Seattle|Denver|Washington|Boston|El Paso|Nashville|Detroit|Oklahoma City|Portland|Las Vegas|Memphis|Louisville|Baltimore|Milwaukee|Albuquerque|Tucson|Fresno|Sacramento|Kansas City|Atlanta|Miami|Raleigh|Omaha|Minneapolis|Tulsa|Cleveland|Tampa|New Orleans|Honolulu|Anchorage|Pittsburgh|Cincinnati|St. Louis|Orlando|Salt Lake City|Buffalo|Richmond|Birmingham|Newark|Palm Springs|Maui|Lahaina|Asheville|Uvalde|Flint|Toronto|Montreal|Vancouver|Ottawa|Calgary|Mexico City|Guadalajara|Havana|Bogota|Lima|Santiago|Buenos Aires|Sao Paulo|São Paulo|Rio de Janeiro|Brasilia|Caracas|Quito|London|Manchester|Liverpool|Edinburgh|Glasgow|Dublin|Belfast|Paris|Marseille|Lyon|Nice|Berlin|Munich|Hamburg|Frankfurt|Cologne|Madrid|Barcelona|Valencia|Seville|Lisbon|Porto|Rome|Milan|Naples|Venice|Florence|Turin|Amsterdam|Rotterdam|The Hague|Brussels|Antwerp|Vienna|Zurich|Geneva|Bern|Prague|Warsaw|Krakow|Budapest|Bucharest|Sofia|Athens|Istanbul|Ankara|Copenhagen|Stockholm|Oslo|Helsinki|Reykjavik|Tallinn|Riga|Vilnius|Kyiv|Kiev|Kharkiv|Odesa|Lviv|Moscow|St. Petersburg|Minsk|Belgrade|Zagreb|Sarajevo|Tbilisi|Baku|Yerevan|Jerusalem|Tel Aviv|Gaza|Beirut|Damascus|Aleppo|Amman|Baghdad|Tehran|Riyadh|Jeddah|Mecca|Dubai|Abu Dhabi|Doha|Kuwait City|Muscat|Sanaa|Cairo|Alexandria|Tripoli|Tunis|Algiers|Casablanca|Rabat|Lagos|Abuja|Accra|Dakar|Nairobi|Addis Ababa|Khartoum|Kampala|Kinshasa|Johannesburg|Cape Town|Pretoria|Durban|Harare|Luanda|Mumbai|Delhi|New Delhi|Bengaluru|Bangalore|Kolkata|Chennai|Hyderabad|Karachi|Lahore|Islamabad|Kabul|Dhaka|Kathmandu|Colombo|Beijing|Shanghai|Shenzhen|Guangzhou|Wuhan|Chengdu|Hong Kong|Macau|Taipei|Seoul|Busan|Pyongyang|Tokyo|Osaka|Kyoto|Hiroshima|Nagasaki|Bangkok|Hanoi|Ho Chi Minh City|Manila|Jakarta|Bali|Kuala Lumpur|Singapore|Yangon|Sydney|Melbourne|Brisbane|Perth|Adelaide|Canberra|Auckland|Wellington|Christchurch", "|")

// gazetteer finds the names of a list in text: capitalised runs of up to
// four words looked up in a set, in time linear in the text (a regular
// expression of hundreds of alternatives is slow on long paragraphs).
type gazetteer struct {
	names map[string]bool // lower case, single-spaced
	most  int             // words in the longest name
}

func newGazetteer(names []string) *gazetteer {
	g := &gazetteer{names: map[string]bool{}}
	for _, n := range names {
		key := strings.ToLower(n)
		g.names[key] = true
		g.most = max(g.most, len(strings.Fields(key)))
	}
	return g
}

var (
	countryNames = newGazetteer(countries)
	stateNames   = newGazetteer(usStates)
	cityNames    = newGazetteer(cities)
)

// find returns the names of g in text, lower case, longest match first at
// each position. A name must start with a capital letter in the text.
func (g *gazetteer) find(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`,;:!?()"“”‘’'—–`, r)
	})
	var out []string
	for i := 0; i < len(words); i++ {
		first, _ := utf8.DecodeRuneInString(words[i])
		if !unicode.IsUpper(first) {
			continue
		}
		for n := min(g.most, len(words)-i); n >= 1; n-- {
			key := strings.ToLower(strings.Join(words[i:i+n], " "))
			if g.names[key] || g.names[strings.TrimSuffix(key, ".")] {
				out = append(out, strings.TrimSuffix(key, "."))
				i += n - 1
				break
			}
		}
	}
	return out
}

// namesPlace reports whether text names a place of g that question does
// not (compared in lower case).
func namesPlace(g *gazetteer, text, question string) bool {
	q := strings.ToLower(question)
	for _, m := range g.find(text) {
		if !strings.Contains(q, m) {
			return true
		}
	}
	return false
}
