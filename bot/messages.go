package bot

// texts holds every fixed text the router sends, in one language. Fields
// ending in F are fmt format strings; their verbs are noted beside them.
type texts struct {
	HelpF           string // %[1]s: the bot's name (with @ when known, else "the bot")
	BotNameFallback string
	UnknownCommandF string // %s: the command name
	EmptyQuestion   string
	TooLongF        string // %d: runes, %d: max
	InvalidUTF8     string
	NoAnswer        string
	ClosestIntro    string
	SlowDown        string
	NotAdmin        string
	Error           string
	MoreLabel       string
	NoMore          string
	MoreShown       string
	Expired         string
	Thanks          string
	VoteChanged     string

	SourcesNone   string
	SourcesHeadF  string // %d: articles, %d: sentences in all
	SourceLineF   string // %s: title, %d: sentences
	SourcesMoreF  string // %d: articles not listed
	StatsNone     string
	ReloadFailedF string // %s: the reason

	ReloadEmbeddedF string // %s: time taken
	ReloadDirF      string // %s: time taken
	ReloadCountsF   string // %d: articles, %d: sentences
	ReloadNoChanges string
	ReloadAddedF    string // %d: count, %s: list
	ReloadRemovedF  string // %d, %s
	ReloadChangedF  string // %d, %s
	ReloadFailedHdF string // %d: failed files
	ListMoreF       string // %d: items not listed

	DocDMOnly     string
	DocBadNameF   string // %s: the (sanitised) name
	DocBadType    string
	DocTooLargeF  string // %d: size, %d: max (bytes)
	DocNotText    string
	DocFetchFail  string
	DocAddedF     string // %s: the saved name
	DocAddFailedF string // %s: name, %s: reason
}

// messages is the table of fixed texts per language ("ar", "en").
var messages = map[string]*texts{
	"en": {
		HelpF: "I answer questions about the news articles I have loaded, quoting the articles' own sentences with their source.\n\n" +
			"In a direct message: just write your question, in English or Arabic.\n" +
			"In a group: /ask <question>, or mention %[1]s, or reply to one of my messages.\n\n" +
			"Commands:\n" +
			"/ask <question> — ask a question\n" +
			"/sources — the articles I know\n" +
			"/help — this help\n" +
			"Admins: /reload (re-read the articles), /stats (usage); send a .txt or .md file in a direct message to add an article.",
		BotNameFallback: "the bot",
		UnknownCommandF: "I don't know the command /%s. Try /help.",
		EmptyQuestion:   "Ask me something: /ask <question>",
		TooLongF:        "Your question is too long (%d characters, max %d). Please shorten it.",
		InvalidUTF8:     "Some characters in your message were not valid text and were removed.",
		NoAnswer:        "No answer found in the articles I have.",
		ClosestIntro:    "The closest articles:",
		SlowDown:        "Please slow down: too many questions in a short time. Try again in a minute.",
		NotAdmin:        "Sorry, only the bot's admins can do that.",
		Error:           "Something went wrong. Please try again later.",
		MoreLabel:       "More",
		NoMore:          "No more answers.",
		MoreShown:       "The next answers are already shown above.",
		Expired:         "This answer has expired; please ask again.",
		Thanks:          "Thanks for the feedback!",
		VoteChanged:     "Thanks, your vote was changed.",

		SourcesNone:   "No articles are loaded.",
		SourcesHeadF:  "%d articles (%d sentences):",
		SourceLineF:   "• %s — %d sentences",
		SourcesMoreF:  "…and %d more.",
		StatsNone:     "No statistics available.",
		ReloadFailedF: "Reload failed, the old index keeps serving: %s",

		ReloadEmbeddedF: "Reloaded the embedded articles in %s.",
		ReloadDirF:      "Reloaded the content directory in %s.",
		ReloadCountsF:   "Articles: %d, sentences: %d.",
		ReloadNoChanges: "No articles added, removed or changed.",
		ReloadAddedF:    "Added (%d): %s",
		ReloadRemovedF:  "Removed (%d): %s",
		ReloadChangedF:  "Changed (%d): %s",
		ReloadFailedHdF: "Files that failed to load (%d):",
		ListMoreF:       "…and %d more",

		DocDMOnly:     "Send articles to me in a direct message.",
		DocBadNameF:   "The file name %q is not allowed: use a plain name ending in .txt or .md.",
		DocBadType:    "Only .txt and .md files can be added as articles.",
		DocTooLargeF:  "The file is too large (%d bytes, max %d).",
		DocNotText:    "The file is not UTF-8 text.",
		DocFetchFail:  "I could not download the file. Please try again.",
		DocAddedF:     "Added the article %s.",
		DocAddFailedF: "Could not add %s: %s",
	},
	"ar": {
		HelpF: "أجيب عن الأسئلة حول المقالات الإخبارية المحمّلة لديّ، باقتباس جمل المقالات نفسها مع ذكر مصدرها.\n\n" +
			"في الرسائل الخاصة: اكتب سؤالك مباشرةً، بالعربية أو بالإنجليزية.\n" +
			"في المجموعات: /ask <سؤالك>، أو اذكر %[1]s، أو ردّ على إحدى رسائلي.\n\n" +
			"الأوامر:\n" +
			"/ask <سؤال> — اطرح سؤالًا\n" +
			"/sources — المقالات التي أعرفها\n" +
			"/help — هذه المساعدة\n" +
			"للمشرفين: /reload (إعادة تحميل المقالات)، /stats (إحصاءات الاستخدام)؛ ولإضافة مقال أرسل ملف .txt أو .md في رسالة خاصة.",
		BotNameFallback: "البوت",
		UnknownCommandF: "لا أعرف الأمر /%s. جرّب /help.",
		EmptyQuestion:   "اسألني شيئًا: /ask <سؤالك>",
		TooLongF:        "سؤالك طويل جدًا (عدد الأحرف %d، والحد الأقصى %d). يُرجى اختصاره.",
		InvalidUTF8:     "بعض الأحرف في رسالتك لم تكن نصًا صالحًا فحُذفت.",
		NoAnswer:        "لم أجد إجابة في المقالات المتوفرة لديّ.",
		ClosestIntro:    "أقرب المقالات:",
		SlowDown:        "مهلًا من فضلك: أسئلة كثيرة في وقت قصير. حاول مجددًا بعد دقيقة.",
		NotAdmin:        "عذرًا، هذا الأمر متاح لمشرفي البوت فقط.",
		Error:           "حدث خطأ ما. يُرجى المحاولة لاحقًا.",
		MoreLabel:       "المزيد",
		NoMore:          "لا توجد إجابات أخرى.",
		MoreShown:       "الإجابات التالية معروضة أعلاه.",
		Expired:         "انتهت صلاحية هذه الإجابة؛ يُرجى طرح السؤال من جديد.",
		Thanks:          "شكرًا على تقييمك!",
		VoteChanged:     "شكرًا، تم تغيير تقييمك.",

		SourcesNone:   "لا توجد مقالات محمّلة.",
		SourcesHeadF:  "عدد المقالات: %d (عدد الجمل: %d):",
		SourceLineF:   "• %s — عدد الجمل: %d",
		SourcesMoreF:  "…وغيرها (%d).",
		StatsNone:     "لا تتوفر إحصاءات.",
		ReloadFailedF: "فشلت إعادة التحميل، ويستمر الفهرس القديم في العمل: %s",

		ReloadEmbeddedF: "أُعيد تحميل المقالات المضمّنة في %s.",
		ReloadDirF:      "أُعيد تحميل مجلد المحتوى في %s.",
		ReloadCountsF:   "المقالات: %d، الجمل: %d.",
		ReloadNoChanges: "لم تُضف مقالات ولم تُحذف أو تتغيّر.",
		ReloadAddedF:    "أُضيف (%d): %s",
		ReloadRemovedF:  "حُذف (%d): %s",
		ReloadChangedF:  "تغيّر (%d): %s",
		ReloadFailedHdF: "ملفات تعذّر تحميلها (%d):",
		ListMoreF:       "…و%d غيرها",

		DocDMOnly:     "أرسل المقالات إليّ في رسالة خاصة.",
		DocBadNameF:   "اسم الملف %q غير مسموح: استخدم اسمًا بسيطًا ينتهي بـ .txt أو .md.",
		DocBadType:    "لا يمكن إضافة إلا ملفات .txt و.md كمقالات.",
		DocTooLargeF:  "الملف كبير جدًا (%d بايت، والحد الأقصى %d).",
		DocNotText:    "الملف ليس نصًا بترميز UTF-8.",
		DocFetchFail:  "تعذّر تنزيل الملف. يُرجى المحاولة مجددًا.",
		DocAddedF:     "أُضيف المقال %s.",
		DocAddFailedF: "تعذّرت إضافة %s: %s",
	},
}

// msgs returns the texts for lang, English for anything but "ar".
func msgs(lang string) *texts {
	if lang == "ar" {
		return messages["ar"]
	}
	return messages["en"]
}
