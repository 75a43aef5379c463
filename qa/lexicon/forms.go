package lexicon

import (
	"slices"
	"strings"
)

// irregularVerbs lists common irregular verbs: base, past, past participle
// (several spellings separated by /).
const irregularVerbs = `
arise arose arisen
awake awoke awoken
be was/were been
bear bore borne/born
beat beat beaten
become became become
begin began begun
bend bent bent
bet bet bet
bid bid bid
bind bound bound
bite bit bitten
bleed bled bled
blow blew blown
break broke broken
breed bred bred
bring brought brought
broadcast broadcast broadcast
build built built
burn burnt burnt
burst burst burst
buy bought bought
cast cast cast
catch caught caught
choose chose chosen
cling clung clung
come came come
cost cost cost
creep crept crept
cut cut cut
deal dealt dealt
dig dug dug
do did done
draw drew drawn
dream dreamt dreamt
drink drank drunk
drive drove driven
eat ate eaten
fall fell fallen
feed fed fed
feel felt felt
fight fought fought
find found found
flee fled fled
fling flung flung
fly flew flown
forbid forbade forbidden
forecast forecast forecast
foresee foresaw foreseen
forget forgot forgotten
forgive forgave forgiven
freeze froze frozen
get got gotten
give gave given
go went gone
grind ground ground
grow grew grown
hang hung hung
have had had
hear heard heard
hide hid hidden
hit hit hit
hold held held
hurt hurt hurt
keep kept kept
kneel knelt knelt
know knew known
lay laid laid
lead led led
lean leant leant
leap leapt leapt
learn learnt learnt
leave left left
lend lent lent
let let let
lie lay lain
light lit lit
lose lost lost
make made made
mean meant meant
meet met met
mislead misled misled
mistake mistook mistaken
overcome overcame overcome
overtake overtook overtaken
overthrow overthrew overthrown
pay paid paid
prove proved proven
put put put
quit quit quit
read read read
rebuild rebuilt rebuilt
rid rid rid
ride rode ridden
ring rang rung
rise rose risen
run ran run
say said said
see saw seen
seek sought sought
sell sold sold
send sent sent
set set set
sew sewed sewn
shake shook shaken
shed shed shed
shine shone shone
shoot shot shot
show showed shown
shrink shrank shrunk
shut shut shut
sing sang sung
sink sank sunk
sit sat sat
slay slew slain
sleep slept slept
slide slid slid
speak spoke spoken
speed sped sped
spend spent spent
spill spilt spilt
spin spun spun
spit spat spat
split split split
spread spread spread
spring sprang sprung
stand stood stood
steal stole stolen
stick stuck stuck
sting stung stung
stink stank stunk
strike struck struck/stricken
strive strove striven
swear swore sworn
sweep swept swept
swim swam swum
swing swung swung
take took taken
teach taught taught
tear tore torn
tell told told
think thought thought
throw threw thrown
thrust thrust thrust
tread trod trodden
undergo underwent undergone
understand understood understood
undertake undertook undertaken
upset upset upset
uphold upheld upheld
wake woke woken
wear wore worn
weave wove woven
weep wept wept
win won won
wind wound wound
withdraw withdrew withdrawn
withhold withheld withheld
withstand withstood withstood
write wrote written
`

// irregularNouns maps irregular plurals to singulars.
var irregularNouns = map[string]string{
	"men": "man", "women": "woman", "children": "child", "people": "person",
	"feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
	"crises": "crisis", "analyses": "analysis", "theses": "thesis", "bases": "base",
	"criteria": "criterion", "phenomena": "phenomenon", "media": "medium",
	"data": "datum", "indices": "index", "appendices": "appendix",
	"oases": "oasis", "diagnoses": "diagnosis", "hypotheses": "hypothesis",
	"lives": "life", "knives": "knife", "wives": "wife", "leaves": "leaf",
	"thieves": "thief", "halves": "half", "selves": "self", "shelves": "shelf",
	"wolves": "wolf", "loaves": "loaf", "calves": "calf",
	"better": "good", "best": "good", "worse": "bad", "worst": "bad",
	"more": "much", "most": "much", "less": "little", "least": "little",
	"further": "far", "furthest": "far", "farther": "far", "elder": "old", "eldest": "old",
}

// irregularForms maps irregular verb forms to their base; built from
// irregularVerbs.
var irregularForms = func() map[string]string {
	m := make(map[string]string, 400)
	for _, line := range strings.Split(irregularVerbs, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		for _, col := range f[1:] {
			for _, form := range strings.Split(col, "/") {
				if form != f[0] {
					if _, ok := m[form]; !ok {
						m[form] = f[0]
					}
				}
			}
		}
	}
	for k, v := range irregularNouns {
		m[k] = v
	}
	return m
}()

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// isCVC reports whether s ends consonant-vowel-consonant (hop, mak), where
// a dropped final e is likely (hoped → hope, making → make).
func isCVC(s string) bool {
	n := len(s)
	if n < 3 {
		return false
	}
	a, b, c := s[n-3], s[n-2], s[n-1]
	return !isVowel(a) && isVowel(b) && !isVowel(c) && c != 'w' && c != 'x' && c != 'y'
}

// undoubled returns s without its final doubled consonant (stopp → stop),
// or "" when s does not end in one that English doubles before a suffix.
func undoubled(s string) string {
	n := len(s)
	if n < 4 || s[n-1] != s[n-2] || isVowel(s[n-1]) {
		return ""
	}
	switch s[n-1] {
	case 's', 'z', 'f':
		return "" // pass, buzz, staff: the double belongs to the stem
	case 'l':
		if n-1 < 5 {
			return "" // call, fill, sell
		}
	}
	return s[:n-1]
}

// stemSuffix returns the candidate stems of s once suffix (ed, ing, er, est)
// is removed: the undoubled stem, the stem with a restored e, the bare stem,
// the most plausible first.
func stemSuffix(s, suffix string) []string {
	if !strings.HasSuffix(s, suffix) || len(s)-len(suffix) < 2 {
		return nil
	}
	st := s[:len(s)-len(suffix)]
	if strings.HasSuffix(st, "i") && suffix != "ing" { // studied, easier
		return []string{st[:len(st)-1] + "y"}
	}
	if suffix == "ing" && strings.HasSuffix(st, "y") && len(st) == 2 { // lying → lie
		return []string{st[:1] + "ie"}
	}
	if u := undoubled(st); u != "" {
		return []string{u, st}
	}
	last := st[len(st)-1]
	if isVowel(last) || last == 'y' || last == 'w' {
		if suffix == "ed" || suffix == "er" || suffix == "est" {
			// agreed → agree (strip "d"); freer → free
			if last == 'e' {
				return []string{st + "e", st}
			}
		}
		return []string{st}
	}
	if isCVC(st) || len(st) == 2 {
		return []string{st + "e", st}
	}
	return []string{st, st + "e"}
}

// WordForms returns w (lowercased) followed by its plausible lemmas, most
// plausible first: singulars of plurals (points → point, countries →
// country, buses → bus, wives → wife), bases of past forms and participles
// (signed → sign, agreed → agree, stopped → stop, studied → study, built →
// build), of -ing forms (making → make), comparatives and superlatives,
// -ly adverbs, and possessives (Obama's → obama). Candidates are guesses:
// a caller keeps the first one its lexicon knows.
func WordForms(w string) []string {
	w = strings.ToLower(strings.TrimSpace(w))
	if w == "" {
		return nil
	}
	out := []string{w}
	add := func(fs ...string) {
		for _, f := range fs {
			if len(f) >= 2 && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	// possessive
	for _, p := range []string{"'s", "’s", "s'", "s’"} {
		if strings.HasSuffix(w, p) && len(w) > len(p)+1 {
			base := w[:len(w)-len(p)]
			if p[0] == 's' {
				base = w[:len(w)-len(p)+1]
			}
			add(base)
			w = base
			break
		}
	}
	if base, ok := irregularForms[w]; ok {
		add(base)
	}
	n := len(w)
	if n < 4 {
		return out
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		add(w[:n-3]+"y", w[:n-1])
	case strings.HasSuffix(w, "ves"):
		add(w[:n-3]+"f", w[:n-3]+"fe", w[:n-1])
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		add(w[:n-2], w[:n-1])
	case strings.HasSuffix(w, "uses") && n > 5 || strings.HasSuffix(w, "ses") && n <= 5:
		add(w[:n-2], w[:n-1]) // buses → bus; uses → use
	case strings.HasSuffix(w, "oes"):
		add(w[:n-1], w[:n-2])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") &&
		!strings.HasSuffix(w, "is") && !strings.HasSuffix(w, "ous") && w != "news":
		add(w[:n-1])
	}
	switch {
	case strings.HasSuffix(w, "ed") && n >= 4:
		add(stemSuffix(w, "ed")...)
	case strings.HasSuffix(w, "ing") && n >= 5:
		add(stemSuffix(w, "ing")...)
	case strings.HasSuffix(w, "est") && n >= 6:
		add(stemSuffix(w, "est")...)
	case strings.HasSuffix(w, "er") && n >= 5:
		add(stemSuffix(w, "er")...)
	case strings.HasSuffix(w, "ily") && n >= 6:
		add(w[:n-3] + "y")
	case strings.HasSuffix(w, "bly") || strings.HasSuffix(w, "ply") && n >= 6:
		add(w[:n-1] + "e") // possibly → possible, simply → simple
	case strings.HasSuffix(w, "ally") && n >= 7:
		add(w[:n-2], w[:n-4]) // officially → official; basically → basic
	case strings.HasSuffix(w, "ly") && n >= 5:
		add(w[:n-2])
	}
	return out
}

// stopWords are English function words and question words: they carry no
// content to translate.
var stopWords = func() map[string]bool {
	m := make(map[string]bool, 300)
	for _, w := range strings.Fields(`
a an the this that these those there here
of in on at to for from by with without within into onto upon about above below over under
between among against during before after since until till through throughout toward towards
across along around behind beside besides beyond near off out up down per via than
and or but nor so yet if then else because although though while whereas whether unless
as such same other another each every either neither both all any some no none not only also
too very just even quite rather almost
what when where who whom whose which why how whatever whenever wherever whoever whichever
many much more most few fewer less least several enough
is are was were be been being am isn't aren't wasn't weren't
do does did done doing don't doesn't didn't
have has had having haven't hasn't hadn't
will would shall should can could may might must ought won't wouldn't can't cannot couldn't shouldn't
i me my mine myself we us our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
one ones someone something anyone anything everyone everything nothing nobody
s t d ll ve re m 's
called named known
according regarding including
etc e.g i.e vs
`) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether the lowercase English word w is a function
// word or a question word (what, when, how, many, did, the, of …) that
// a query need not translate. Content-bearing words such as first, last,
// new, old, year are not stop words, and neither are the adverbs of aspect
// (already, still, again, ever, never): Arabic says them in words of their
// own (بالفعل، ما زال، مجددا، أبدا).
func IsStopWord(w string) bool {
	return stopWords[w]
}

// commonWords are frequent English words that are never names; NameMatcher
// does not transliterate them even when capitalised.
var commonWords = func() map[string]bool {
	m := make(map[string]bool, 300)
	for _, w := range strings.Fields(`
first last next new old good great high long large small big little young early late
year years month months week weeks day days time times today yesterday tomorrow
people person man men woman women child children family world country countries city cities
state states government president minister king queen prince army police party parties
north south east west northern southern eastern western central
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
number numbers percent million billion thousand hundred
national international public private general united union university
company market bank news report reports war peace water land
team game games season player players league cup final club
house court council committee office group center centre church school
river lake mountain island sea ocean street road
book books film music song
during after before while since about against between through
also because however therefore although though
which where when what whom whose there their these those
first second third fourth fifth
`) {
		m[w] = true
	}
	return m
}()
