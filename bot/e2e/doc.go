// Package e2e holds qabot's end-to-end tests: the real bot.Router over the
// real content service (the embedded seed article, the glossary-only
// lexicon), driven through the real Telegram and Discord adapters against
// the fake platform servers (bot/telegram/telegramtest,
// bot/discord/discordtest) on 127.0.0.1.
//
// One table of cases runs against both adapters (TestTable), so that both
// platforms give the same answers to the same questions; the platform-only
// behaviour (threading, documents, 429s, splitting, deferred interactions,
// gateway drops) has its own tests, and bench_test.go measures the bot's
// overhead on top of answering.
package e2e
