package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/qabot/qabot/qa"
)

// RouterConfig configures a Router. Zero fields take the defaults noted.
type RouterConfig struct {
	// BotName is the bot's user name without "@" ("qabot"), used in the
	// help text and to tell "/cmd@qabot" from "/cmd@otherbot". May be "".
	BotName string
	// Admins maps a platform ("telegram", "discord", "console") to the user
	// ids allowed to run /reload, /stats and to upload articles.
	Admins map[string]map[string]bool
	// AllowedChats maps a platform to the chat ids the bot answers in. A
	// platform with no entry (or an empty set) allows every chat. Messages
	// from other chats are ignored without a reply, except an admin's
	// direct messages.
	AllowedChats map[string]map[string]bool

	// UserPerMinute and ChatPerMinute are how many questions (and other
	// replies that cost something) one user and one chat get per
	// RateWindow. 0 or less means no limit. DefaultRouterConfig sets 6 and 20.
	UserPerMinute int
	ChatPerMinute int
	// RateWindow is the sliding window of the rate limits (default 1 minute).
	RateWindow time.Duration

	// MaxQuestionRunes is the longest question accepted (default 1000).
	MaxQuestionRunes int
	// MaxUploadBytes is the largest article file accepted (default 1 MiB).
	MaxUploadBytes int64
	// TopAnswers is the number of answers per reply (default 1); "more"
	// shows the next TopAnswers.
	TopAnswers int
	// FetchAnswers is how many answers are asked of the backend per
	// question, for "more" (default 5×TopAnswers).
	FetchAnswers int
	// CacheSize is how many answer pages are kept for their buttons
	// (default 4096); older buttons answer "expired".
	CacheSize int
	// DefaultLang is the language of fixed replies to a command without
	// letters from a user not seen before ("ar" or "en"; default "ar").
	DefaultLang string

	// Feedback receives the 👍/👎 votes (default: a MemoryFeedback).
	Feedback FeedbackSink
	// QuestionLog, when set, is told about every question the backend was
	// asked, answered or not (not about commands such as /help).
	QuestionLog QuestionLog
	// Metrics, when set, counts questions, latencies and rate limiting.
	Metrics Metrics
	// Now is the clock, for tests (default time.Now).
	Now func() time.Time
}

// DefaultRouterConfig returns a RouterConfig with the documented defaults
// and rate limits of 6 questions per user and 20 per chat per minute.
func DefaultRouterConfig() RouterConfig {
	return RouterConfig{
		UserPerMinute:    6,
		ChatPerMinute:    20,
		RateWindow:       time.Minute,
		MaxQuestionRunes: 1000,
		MaxUploadBytes:   1 << 20,
		TopAnswers:       1,
		CacheSize:        4096,
		DefaultLang:      "ar",
	}
}

// Router is the platform-neutral bot.Handler: it parses commands, checks
// admins, allow-lists and rate limits, asks the Backend and builds Replies.
// It is safe for concurrent use.
type Router struct {
	b     Backend
	cfg   RouterConfig
	log   *slog.Logger
	lim   *limiter
	pages *pageCache

	langMu sync.Mutex
	langs  map[string]string // platform+"\x00"+user → last language seen
}

// Button data prefixes. Data is "m:<key>" for "more" and "v:<key>:+" /
// "v:<key>:-" for votes; keys are at most 13 base36 characters.
const (
	moreData = "m:"
	voteData = "v:"
	maxLangs = 10000
)

// NewRouter returns a Router over b. A nil log discards logging.
func NewRouter(b Backend, cfg RouterConfig, log *slog.Logger) *Router {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := DefaultRouterConfig()
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = d.RateWindow
	}
	if cfg.MaxQuestionRunes <= 0 {
		cfg.MaxQuestionRunes = d.MaxQuestionRunes
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = d.MaxUploadBytes
	}
	if cfg.TopAnswers <= 0 {
		cfg.TopAnswers = d.TopAnswers
	}
	if cfg.FetchAnswers < cfg.TopAnswers {
		cfg.FetchAnswers = 5 * cfg.TopAnswers
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = d.CacheSize
	}
	if cfg.DefaultLang != "en" {
		cfg.DefaultLang = "ar"
	}
	if cfg.Feedback == nil {
		cfg.Feedback = NewMemoryFeedback(cfg.CacheSize)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BotName = strings.TrimPrefix(cfg.BotName, "@")
	return &Router{
		b:     b,
		cfg:   cfg,
		log:   log,
		lim:   newLimiter(cfg.UserPerMinute, cfg.ChatPerMinute, cfg.RateWindow),
		pages: newPageCache(cfg.CacheSize),
		langs: map[string]string{},
	}
}

// action is what the router will do with a message.
type action int

const (
	actIgnore action = iota
	actQuestion
	actCommand
	actDocument
	actCallback
)

// known commands; the bool says admin-only.
var commands = map[string]bool{
	"start": false, "help": false, "ask": false, "sources": false,
	"reload": true, "stats": true,
}

// classify decides what to do with m; cmd and text are the command name (if
// any) and the question or the command's arguments, sanitised.
func (r *Router) classify(m *Message) (act action, cmd, text string, badUTF8 bool) {
	if !r.allowed(m) {
		return actIgnore, "", "", false
	}
	if m.Callback != nil {
		return actCallback, "", "", false
	}
	if m.Document != nil && m.ChatKind == Private {
		return actDocument, "", "", false
	}
	text, badUTF8 = sanitize(m.Text)
	cmd = strings.ToLower(strings.TrimSpace(m.Command))
	if cmd == "" {
		if c, args, ok := ParseCommand(text, r.cfg.BotName); ok {
			cmd, text = c, args
		}
	}
	text = strings.TrimSpace(text)
	if cmd != "" {
		if _, known := commands[cmd]; !known && m.ChatKind != Private && !m.Addressed {
			// Another bot's command, most likely: stay quiet in groups.
			return actIgnore, "", "", false
		}
		return actCommand, cmd, text, badUTF8
	}
	if m.ChatKind == Private || m.Addressed {
		return actQuestion, "", text, badUTF8
	}
	return actIgnore, "", "", false
}

// allowed applies the allow-list; an admin's direct messages always pass.
func (r *Router) allowed(m *Message) bool {
	set := r.cfg.AllowedChats[m.Platform]
	if len(set) == 0 || set[m.ChatID] {
		return true
	}
	return m.ChatKind == Private && r.isAdmin(m)
}

func (r *Router) isAdmin(m *Message) bool {
	return r.cfg.Admins[m.Platform][m.UserID]
}

// WillAnswer reports whether Handle would answer m with something that takes
// a moment — a question for the backend, a reload, /stats or an article
// upload — so an adapter can show "typing…" first. It changes no state.
func (r *Router) WillAnswer(m Message) bool {
	act, cmd, text, _ := r.classify(&m)
	switch act {
	case actDocument:
		return r.isAdmin(&m)
	case actCommand:
		if commands[cmd] {
			return r.isAdmin(&m)
		}
		if cmd != "ask" {
			return false
		}
	case actQuestion:
	default:
		return false
	}
	n := utf8.RuneCountInString(text)
	return n > 0 && n <= r.cfg.MaxQuestionRunes && r.lim.wouldAllow(r.userKey(&m), r.chatKey(&m), r.cfg.Now())
}

// Handle implements Handler. It never panics: a panic is logged with its
// stack and answered with a short "something went wrong".
func (r *Router) Handle(ctx context.Context, m Message) (replies []Reply) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("panic while handling a message", "panic", fmt.Sprint(v),
				"platform", m.Platform, "chat", m.ChatID, "msg", m.MessageID, "user", m.UserID,
				"stack", string(debug.Stack()))
			lang := r.langOf(&m, m.Text)
			if m.Callback != nil {
				replies = []Reply{{Lang: lang, Toast: msgs(lang).Error}}
				return
			}
			replies = []Reply{{Lang: lang, Text: msgs(lang).Error, ReplyTo: m.MessageID}}
		}
	}()
	return r.handle(ctx, &m)
}

func (r *Router) handle(ctx context.Context, m *Message) []Reply {
	act, cmd, text, badUTF8 := r.classify(m)
	attrs := []any{"platform", m.Platform, "chat", m.ChatID, "private", m.ChatKind == Private,
		"msg", m.MessageID, "user", m.UserID}
	if act == actIgnore {
		r.log.Debug("ignored message", append(attrs, "addressed", m.Addressed, "len", len(m.Text))...)
		return nil
	}
	r.log.Info("message", append(attrs, "cmd", cmd, "len", len(m.Text),
		"document", m.Document != nil, "callback", m.Callback != nil)...)
	r.log.Debug("message text", append(attrs, "text", text)...)

	switch act {
	case actCallback:
		return r.callback(ctx, m)
	case actDocument:
		return r.document(ctx, m)
	case actQuestion:
		lang := r.langOf(m, text)
		if rep, limited := r.limit(m, lang); limited {
			return rep
		}
		return r.ask(ctx, m, text, badUTF8, lang)
	}

	lang := r.langOf(m, text)
	if commands[cmd] {
		if !r.isAdmin(m) {
			r.log.Info("refused admin command", append(attrs, "cmd", cmd)...)
			return r.notAdmin(m, lang)
		}
	} else if rep, limited := r.limit(m, lang); limited {
		return rep
	}

	t := msgs(lang)
	switch cmd {
	case "start", "help":
		rep := r.help(text)
		rep.ReplyTo = m.MessageID
		return []Reply{rep}
	case "ask":
		return r.ask(ctx, m, text, badUTF8, lang)
	case "sources":
		return []Reply{{Lang: lang, Text: r.sourcesText(lang), ReplyTo: m.MessageID}}
	case "reload":
		start := r.cfg.Now()
		rep, err := r.b.Reload(ctx)
		if err != nil {
			r.log.Warn("reload failed", append(attrs, "err", err)...)
			return []Reply{{Lang: lang, Text: fmt.Sprintf(t.ReloadFailedF, err), Ephemeral: true, ReplyTo: m.MessageID}}
		}
		r.log.Info("reloaded", append(attrs, "articles", rep.Articles, "sentences", rep.Sentences,
			"failed", len(rep.Failed), "took", r.cfg.Now().Sub(start))...)
		// Admin reports are for the admin: private where the platform can
		// (Discord), whatever the timing of the answer.
		return []Reply{{Lang: lang, Text: reportText(lang, rep), Ephemeral: true, ReplyTo: m.MessageID}}
	case "stats":
		s := strings.TrimSpace(r.b.Stats(ctx, lang))
		if s == "" {
			s = t.StatsNone
		}
		return []Reply{{Lang: lang, Text: s, Ephemeral: true, ReplyTo: m.MessageID}}
	}
	return []Reply{{Lang: lang, Text: fmt.Sprintf(t.UnknownCommandF, cmd), ReplyTo: m.MessageID}}
}

// limit applies the rate limits to m. When m is over a limit it returns the
// one "slow down" notice (or nothing, if that went out already) and true.
func (r *Router) limit(m *Message, lang string) ([]Reply, bool) {
	verdict := r.lim.take(r.userKey(m), r.chatKey(m), r.cfg.Now())
	if verdict == limitAllow {
		return nil, false
	}
	if r.cfg.Metrics != nil {
		r.cfg.Metrics.RateLimited(m.Platform)
	}
	if verdict == limitSilent {
		r.log.Debug("rate limited, silent", "platform", m.Platform, "chat", m.ChatID, "user", m.UserID)
		return nil, true
	}
	r.log.Info("rate limited", "platform", m.Platform, "chat", m.ChatID, "user", m.UserID)
	if m.Callback != nil {
		return []Reply{{Lang: lang, Toast: msgs(lang).SlowDown}}, true
	}
	return []Reply{{Lang: lang, Text: msgs(lang).SlowDown, ReplyTo: m.MessageID}}, true
}

// notAdmin refuses an admin command or upload from a user who is not an
// admin, within the rate limits.
func (r *Router) notAdmin(m *Message, lang string) []Reply {
	if rep, limited := r.limit(m, lang); limited {
		return rep
	}
	return []Reply{{Lang: lang, Text: msgs(lang).NotAdmin, Ephemeral: true, ReplyTo: m.MessageID}}
}

func (r *Router) userKey(m *Message) string { return m.Platform + "\x00" + m.UserID }
func (r *Router) chatKey(m *Message) string { return m.Platform + "\x00" + m.ChatID }

// langOf returns the language for a fixed reply to m: that of text when it
// has letters (remembering it for the user), else the user's last one, else
// DefaultLang.
func (r *Router) langOf(m *Message, text string) string {
	k := r.userKey(m)
	r.langMu.Lock()
	defer r.langMu.Unlock()
	if hasLetter(text) {
		l := DetectLang(text)
		if r.langs[k] != l {
			if len(r.langs) >= maxLangs {
				clear(r.langs)
			}
			r.langs[k] = l
		}
		return l
	}
	if l := r.langs[k]; l != "" {
		return l
	}
	return r.cfg.DefaultLang
}

// help returns the /start and /help text: in the language of text when it
// has letters, else in Arabic and English both.
func (r *Router) help(text string) Reply {
	name := func(lang string) string {
		if r.cfg.BotName != "" {
			return "@" + r.cfg.BotName
		}
		return msgs(lang).BotNameFallback
	}
	if hasLetter(text) {
		l := DetectLang(text)
		return Reply{Lang: l, Text: fmt.Sprintf(msgs(l).HelpF, name(l))}
	}
	return Reply{Lang: "ar", Text: fmt.Sprintf(msgs("ar").HelpF, name("ar")) + "\n\n— — —\n\n" +
		fmt.Sprintf(msgs("en").HelpF, name("en"))}
}

// ask answers one question.
func (r *Router) ask(ctx context.Context, m *Message, q string, badUTF8 bool, lang string) []Reply {
	t := msgs(lang)
	if q == "" {
		return []Reply{{Lang: lang, Text: t.EmptyQuestion, ReplyTo: m.MessageID}}
	}
	if n := utf8.RuneCountInString(q); n > r.cfg.MaxQuestionRunes {
		return []Reply{{Lang: lang, Text: fmt.Sprintf(t.TooLongF, n, r.cfg.MaxQuestionRunes), ReplyTo: m.MessageID}}
	}
	start := r.cfg.Now()
	res := r.b.Ask(ctx, q, r.cfg.FetchAnswers)
	took := r.cfg.Now().Sub(start)
	if res.Lang == "ar" || res.Lang == "en" {
		lang = res.Lang
	}
	t = msgs(lang)
	answered := res.Answered && len(res.Answers) > 0
	r.log.Info("answered", "platform", m.Platform, "chat", m.ChatID, "msg", m.MessageID,
		"lang", lang, "answered", answered, "answers", len(res.Answers), "took", took)
	ev := QuestionEvent{Time: start, Platform: m.Platform, ChatID: m.ChatID, UserID: m.UserID,
		Private: m.ChatKind == Private, Question: q, Lang: lang, Answered: answered, Latency: took}
	if answered {
		ev.TopDoc = res.Answers[0].Doc
	}
	defer func() { r.record(ctx, ev) }()
	var note string
	if badUTF8 {
		note = t.InvalidUTF8
	}
	if !answered {
		var b strings.Builder
		if note != "" {
			b.WriteString(note + "\n\n")
		}
		b.WriteString(t.NoAnswer)
		n := 0
		for _, c := range res.Closest {
			title := strings.TrimSpace(c.Title)
			if title == "" {
				title = c.Doc
			}
			if title == "" {
				continue
			}
			if n == 0 {
				b.WriteString("\n" + t.ClosestIntro)
			}
			b.WriteString("\n• " + title)
			if n++; n == 3 {
				break
			}
		}
		return []Reply{{Lang: lang, Text: b.String(), NoAnswer: true, ReplyTo: m.MessageID}}
	}
	p := &page{result: res, start: 0, end: min(r.cfg.TopAnswers, len(res.Answers)),
		replyTo: m.MessageID, lang: lang, votes: map[string]bool{}}
	ev.Key = r.pages.add(p)
	rep := r.pageReply(p)
	rep.Text = note
	return []Reply{rep}
}

// record hands one question to the Metrics and the QuestionLog. A panic in
// either is logged and does not cost the asker the answer.
func (r *Router) record(ctx context.Context, ev QuestionEvent) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("panic in the question log or metrics", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	if r.cfg.Metrics != nil {
		r.cfg.Metrics.ObserveQuestion(ev.Platform, ev.Lang, ev.Answered, ev.Latency)
	}
	if r.cfg.QuestionLog != nil {
		r.cfg.QuestionLog.LogQuestion(ctx, ev)
	}
}

// pageReply renders a page's answers with its buttons.
func (r *Router) pageReply(p *page) Reply {
	t := msgs(p.lang)
	rep := Reply{Lang: p.lang, ReplyTo: p.replyTo}
	for _, a := range p.result.Answers[p.start:p.end] {
		q := quoteOf(a)
		if p.result.Lang != "en" {
			// the translation helps those who asked in English; an Arabic
			// asker reads the quote itself
			q.Translation = ""
		}
		rep.Quotes = append(rep.Quotes, q)
	}
	if p.end < len(p.result.Answers) {
		rep.Buttons = append(rep.Buttons, Button{Label: t.MoreLabel, Data: moreData + p.key})
	}
	rep.Buttons = append(rep.Buttons,
		Button{Label: "👍", Data: voteData + p.key + ":+"},
		Button{Label: "👎", Data: voteData + p.key + ":-"})
	return rep
}

func quoteOf(a qa.Answer) Quote {
	return Quote{Text: a.Quote, Translation: a.Translation, Title: a.Title, Source: a.Source,
		URL: a.URL, Doc: a.Doc, Paragraph: a.Paragraph, Sentence: a.Sentence, Section: a.Section,
		Unmatched: a.Unmatched}
}

// Result returns the question and answers behind a button key, while the
// key is still cached; a FeedbackSink that persists votes can use it.
func (r *Router) Result(key string) (qa.Result, bool) {
	var res qa.Result
	ok := r.pages.with(key, func(p *page) { res = p.result })
	return res, ok
}

// callback handles a button press.
func (r *Router) callback(ctx context.Context, m *Message) []Reply {
	data, _ := sanitize(m.Callback.Data)
	switch {
	case strings.HasPrefix(data, moreData):
		return r.more(m, strings.TrimPrefix(data, moreData))
	case strings.HasPrefix(data, voteData):
		rest := strings.TrimPrefix(data, voteData)
		key, sign, ok := strings.Cut(rest, ":")
		if !ok || (sign != "+" && sign != "-") {
			break
		}
		return r.vote(ctx, m, key, sign == "+")
	}
	r.log.Debug("unknown button data", "platform", m.Platform, "chat", m.ChatID, "len", len(data))
	return nil
}

func (r *Router) more(m *Message, key string) []Reply {
	var next *page
	var toast string
	lang := r.langOf(m, "")
	found := r.pages.with(key, func(p *page) {
		lang = p.lang
		switch {
		case p.end >= len(p.result.Answers):
			toast = msgs(p.lang).NoMore
		case p.expanded:
			toast = msgs(p.lang).MoreShown
		default:
			p.expanded = true
			next = &page{result: p.result, start: p.end,
				end:     min(p.end+r.cfg.TopAnswers, len(p.result.Answers)),
				replyTo: p.replyTo, lang: p.lang, votes: map[string]bool{}}
		}
	})
	if !found {
		return []Reply{{Lang: lang, Toast: msgs(lang).Expired}}
	}
	if toast != "" {
		return []Reply{{Lang: lang, Toast: toast}}
	}
	if rep, limited := r.limit(m, lang); limited {
		r.pages.with(key, func(p *page) { p.expanded = false })
		return rep
	}
	r.pages.add(next)
	return []Reply{r.pageReply(next)}
}

func (r *Router) vote(ctx context.Context, m *Message, key string, up bool) []Reply {
	lang := r.langOf(m, "")
	var had, same bool
	found := r.pages.with(key, func(p *page) {
		lang = p.lang
		u := r.userKey(m)
		var prev bool
		prev, had = p.votes[u]
		same = had && prev == up
		p.votes[u] = up
	})
	t := msgs(lang)
	if !found {
		return []Reply{{Lang: lang, Toast: t.Expired}}
	}
	if same {
		return []Reply{{Lang: lang, Toast: t.Thanks}}
	}
	r.cfg.Feedback.RecordVote(ctx, key, m.Platform, m.ChatID, m.UserID, up)
	r.log.Info("vote", "platform", m.Platform, "chat", m.ChatID, "user", m.UserID, "key", key, "up", up, "changed", had)
	if had {
		return []Reply{{Lang: lang, Toast: t.VoteChanged}}
	}
	return []Reply{{Lang: lang, Toast: t.Thanks}}
}

// document handles a file sent in a direct message: an admin's new article.
func (r *Router) document(ctx context.Context, m *Message) []Reply {
	caption, _ := sanitize(m.Text)
	lang := r.langOf(m, caption)
	t := msgs(lang)
	reply := func(s string) []Reply { return []Reply{{Lang: lang, Text: s, ReplyTo: m.MessageID}} }
	d := m.Document
	if !r.isAdmin(m) {
		return r.notAdmin(m, lang)
	}
	name, ok := cleanFileName(d.Name)
	if !ok {
		shown, _ := sanitize(name)
		return reply(fmt.Sprintf(t.DocBadNameF, shown))
	}
	ext, ok := articleExt(name)
	if !ok {
		return reply(t.DocBadType)
	}
	name = name[:len(name)-len(ext)] + ext
	if name == ext {
		return reply(fmt.Sprintf(t.DocBadNameF, name))
	}
	if d.Size > r.cfg.MaxUploadBytes {
		return reply(fmt.Sprintf(t.DocTooLargeF, d.Size, r.cfg.MaxUploadBytes))
	}
	if d.Fetch == nil {
		return reply(t.DocFetchFail)
	}
	data, err := d.Fetch(ctx)
	if err != nil {
		r.log.Warn("document download failed", "platform", m.Platform, "msg", m.MessageID, "err", err)
		return reply(t.DocFetchFail)
	}
	if int64(len(data)) > r.cfg.MaxUploadBytes {
		return reply(fmt.Sprintf(t.DocTooLargeF, len(data), r.cfg.MaxUploadBytes))
	}
	if !utf8.Valid(data) {
		return reply(t.DocNotText)
	}
	rep, err := r.b.AddArticle(ctx, name, data)
	if err != nil {
		r.log.Warn("adding article failed", "platform", m.Platform, "user", m.UserID, "name", name, "err", err)
		return reply(fmt.Sprintf(t.DocAddFailedF, name, err))
	}
	r.log.Info("article added", "platform", m.Platform, "user", m.UserID, "name", name, "bytes", len(data))
	return reply(fmt.Sprintf(t.DocAddedF, name) + "\n" + reportText(lang, rep))
}

// sourcesText lists the loaded articles.
func (r *Router) sourcesText(lang string) string {
	t := msgs(lang)
	src := r.b.Sources()
	if len(src) == 0 {
		return t.SourcesNone
	}
	total := 0
	for _, s := range src {
		total += s.Sentences
	}
	const maxListed = 50
	var b strings.Builder
	fmt.Fprintf(&b, t.SourcesHeadF, len(src), total)
	for i, s := range src {
		if i == maxListed {
			b.WriteString("\n" + fmt.Sprintf(t.SourcesMoreF, len(src)-maxListed))
			break
		}
		title := strings.TrimSpace(s.Title)
		if title == "" {
			title = s.Doc
		}
		b.WriteString("\n" + fmt.Sprintf(t.SourceLineF, title, s.Sentences))
	}
	return b.String()
}

// reportText renders a ReloadReport.
func reportText(lang string, rep ReloadReport) string {
	t := msgs(lang)
	var b strings.Builder
	took := formatDuration(rep.Took)
	if rep.Embedded {
		fmt.Fprintf(&b, t.ReloadEmbeddedF, took)
	} else {
		fmt.Fprintf(&b, t.ReloadDirF, took)
	}
	b.WriteString("\n" + fmt.Sprintf(t.ReloadCountsF, rep.Articles, rep.Sentences))
	if len(rep.Added)+len(rep.Removed)+len(rep.Changed) == 0 {
		b.WriteString("\n" + t.ReloadNoChanges)
	}
	for _, l := range []struct {
		f     string
		names []string
	}{{t.ReloadAddedF, rep.Added}, {t.ReloadRemovedF, rep.Removed}, {t.ReloadChangedF, rep.Changed}} {
		if len(l.names) > 0 {
			b.WriteString("\n" + fmt.Sprintf(l.f, len(l.names), joinList(t, l.names, ", ")))
		}
	}
	if len(rep.Failed) > 0 {
		b.WriteString("\n" + fmt.Sprintf(t.ReloadFailedHdF, len(rep.Failed)))
		b.WriteString("\n• " + joinList(t, rep.Failed, "\n• "))
	}
	return b.String()
}

// joinList joins up to 20 items, then says how many more there are.
func joinList(t *texts, items []string, sep string) string {
	const maxItems = 20
	if len(items) <= maxItems {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:maxItems], sep) + sep + fmt.Sprintf(t.ListMoreF, len(items)-maxItems)
}

func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Microsecond).String()
}
