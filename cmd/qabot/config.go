package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is qabot's TOML configuration (see config.example.toml). Its
// String, Format and LogValue methods redact the secrets (the tokens and the
// webhook secret), so a Config can be printed and logged as is.
type Config struct {
	Content  ContentConfig  `toml:"content"`
	Index    IndexConfig    `toml:"index"`
	Telegram TelegramConfig `toml:"telegram"`
	Discord  DiscordConfig  `toml:"discord"`
	Limits   LimitsConfig   `toml:"limits"`
	Ops      OpsConfig      `toml:"ops"`
	Store    StoreConfig    `toml:"store"`
	Log      LogConfig      `toml:"log"`
	Lexicon  LexiconConfig  `toml:"lexicon"`
}

// ContentConfig is the [content] section: where the articles come from.
type ContentConfig struct {
	Dir   string `toml:"dir"`   // empty: the embedded seed articles
	Watch bool   `toml:"watch"` // reload when files in Dir change
}

// IndexConfig is the [index] section.
type IndexConfig struct {
	Dir string `toml:"dir"` // where the bleve index lives
}

// TelegramConfig is the [telegram] section.
type TelegramConfig struct {
	Enabled       bool    `toml:"enabled"`
	Token         string  `toml:"token" json:"-"`          // also TELEGRAM_TOKEN when empty
	APIEndpoint   string  `toml:"api_endpoint"`            // e.g. "http://127.0.0.1:8081/bot%s/%s"; empty: Telegram's
	Admins        []int64 `toml:"admins"`                  // user ids
	Mode          string  `toml:"mode"`                    // "poll" or "webhook"
	WebhookListen string  `toml:"webhook_listen"`          // host:port the webhook server listens on
	WebhookURL    string  `toml:"webhook_url"`             // the public URL Telegram posts to
	WebhookSecret string  `toml:"webhook_secret" json:"-"` // X-Telegram-Bot-Api-Secret-Token
	AllowedChats  []int64 `toml:"allowed_chats"`           // empty: every chat
}

// DiscordConfig is the [discord] section.
type DiscordConfig struct {
	Enabled         bool     `toml:"enabled"`
	Token           string   `toml:"token" json:"-"` // also DISCORD_TOKEN when empty
	APIBase         string   `toml:"api_base"`       // REST base ending in "/"; empty: Discord's
	Admins          []string `toml:"admins"`         // user snowflakes
	Guilds          []string `toml:"guilds"`         // guild snowflakes for commands; empty: global commands
	MessageContent  bool     `toml:"message_content"`
	AllowedChannels []string `toml:"allowed_channels"` // empty: every channel
}

// LimitsConfig is the [limits] section.
type LimitsConfig struct {
	UserPerMinute    int   `toml:"user_per_minute"` // 0: no limit
	ChatPerMinute    int   `toml:"chat_per_minute"` // 0: no limit
	MaxQuestionChars int   `toml:"max_question_chars"`
	MaxUploadBytes   int64 `toml:"max_upload_bytes"`
	TopAnswers       int   `toml:"top_answers"`
}

// OpsConfig is the [ops] section.
type OpsConfig struct {
	Listen string `toml:"listen"` // health and metrics; empty: off
}

// StoreConfig is the [store] section.
type StoreConfig struct {
	Enabled       bool   `toml:"enabled"`
	Path          string `toml:"path"`
	RetentionDays int    `toml:"retention_days"` // 0: keep forever
}

// LogConfig is the [log] section.
type LogConfig struct {
	Level  string `toml:"level"`  // debug, info, warn, error
	Format string `toml:"format"` // text or json
}

// LexiconConfig is the [lexicon] section.
type LexiconConfig struct {
	// Dictd lists dictd dictionaries as [index path, dict path] pairs;
	// empty: the Debian default paths.
	Dictd [][2]string `toml:"dictd"`
}

// DefaultConfig returns the configuration used for every key a file leaves
// out: both platforms off, the embedded articles, the documented limits.
func DefaultConfig() *Config {
	return &Config{
		Index:    IndexConfig{Dir: "data/index"},
		Telegram: TelegramConfig{Mode: "poll", WebhookListen: "127.0.0.1:8443"},
		Limits: LimitsConfig{UserPerMinute: 6, ChatPerMinute: 20, MaxQuestionChars: 1000,
			MaxUploadBytes: 1 << 20, TopAnswers: 1},
		Ops:   OpsConfig{Listen: "127.0.0.1:9090"},
		Store: StoreConfig{Enabled: true, Path: "data/qabot.db", RetentionDays: 90},
		Log:   LogConfig{Level: "info", Format: "text"},
	}
}

// LoadConfig reads the TOML file at path over DefaultConfig. ${VAR} and $VAR
// are replaced from the environment before decoding ($$ is a literal $); a
// key the Config does not know is an error naming it. An empty token is
// taken from TELEGRAM_TOKEN / DISCORD_TOKEN. An empty path means no file:
// the defaults and the environment only. LoadConfig does not call Validate.
func LoadConfig(path string) (*Config, error) {
	c := DefaultConfig()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := c.decode(string(data)); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if c.Telegram.Token == "" {
		c.Telegram.Token = os.Getenv("TELEGRAM_TOKEN")
	}
	if c.Discord.Token == "" {
		c.Discord.Token = os.Getenv("DISCORD_TOKEN")
	}
	return c, nil
}

// decode expands the environment in text and decodes it into c.
func (c *Config) decode(text string) error {
	text = os.Expand(text, func(name string) string {
		if name == "$" {
			return "$"
		}
		return os.Getenv(name)
	})
	md, err := toml.Decode(text, c)
	if err != nil {
		return err
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String()
		}
		if len(names) == 1 {
			return fmt.Errorf("unknown key %s", names[0])
		}
		return fmt.Errorf("unknown keys %s", strings.Join(names, ", "))
	}
	return nil
}

// Validate checks every field and returns all problems found, each naming
// its key (e.g. `telegram.mode: must be "poll" or "webhook", got "push"`).
// A platform that is off is not checked.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}

	if strings.TrimSpace(c.Index.Dir) == "" {
		bad("index.dir", "required")
	}

	// token checks a platform's token: it is required, and a pasted one
	// often carries a space or a newline
	token := func(platform, value, env string) {
		switch {
		case value == "":
			bad(platform+".token", "required when %s.enabled (or set %s)", platform, env)
		case strings.ContainsFunc(value, isSpaceOrControl):
			bad(platform+".token", "contains spaces or control characters")
		}
	}

	if t := c.Telegram; t.Enabled {
		token("telegram", t.Token, "TELEGRAM_TOKEN")
		if t.APIEndpoint != "" {
			if err := checkEndpoint(t.APIEndpoint); err != nil {
				bad("telegram.api_endpoint", "%v", err)
			}
		}
		for i, id := range t.Admins {
			if id <= 0 {
				bad(fmt.Sprintf("telegram.admins[%d]", i), "not a user id: %d", id)
			}
		}
		for i, id := range t.AllowedChats {
			if id == 0 {
				bad(fmt.Sprintf("telegram.allowed_chats[%d]", i), "not a chat id: 0")
			}
		}
		switch t.Mode {
		case "poll":
		case "webhook":
			if _, _, err := net.SplitHostPort(t.WebhookListen); err != nil {
				bad("telegram.webhook_listen", "want host:port, got %q", t.WebhookListen)
			}
			if t.WebhookURL == "" {
				bad("telegram.webhook_url", `required when telegram.mode = "webhook"`)
			} else if err := checkURL(t.WebhookURL); err != nil {
				bad("telegram.webhook_url", "%v", err)
			}
			if s := t.WebhookSecret; s != "" && (len(s) > 256 || strings.ContainsFunc(s, notSecretChar)) {
				bad("telegram.webhook_secret", "want 1-256 characters A-Z, a-z, 0-9, _ or -")
			}
		default:
			bad("telegram.mode", `must be "poll" or "webhook", got %q`, t.Mode)
		}
	}

	if d := c.Discord; d.Enabled {
		token("discord", d.Token, "DISCORD_TOKEN")
		if d.APIBase != "" {
			if err := checkURL(d.APIBase); err != nil {
				bad("discord.api_base", "%v", err)
			} else if !strings.HasSuffix(d.APIBase, "/") {
				bad("discord.api_base", "must end in \"/\", got %q", d.APIBase)
			}
		}
		for _, l := range []struct {
			key string
			ids []string
		}{{"discord.admins", d.Admins}, {"discord.guilds", d.Guilds}, {"discord.allowed_channels", d.AllowedChannels}} {
			for i, id := range l.ids {
				if !isSnowflake(id) {
					bad(fmt.Sprintf("%s[%d]", l.key, i), "not a snowflake: %q", id)
				}
			}
		}
	}

	l := c.Limits
	if l.UserPerMinute < 0 {
		bad("limits.user_per_minute", "must be 0 (no limit) or more, got %d", l.UserPerMinute)
	}
	if l.ChatPerMinute < 0 {
		bad("limits.chat_per_minute", "must be 0 (no limit) or more, got %d", l.ChatPerMinute)
	}
	if l.MaxQuestionChars < 1 || l.MaxQuestionChars > 100000 {
		bad("limits.max_question_chars", "must be 1 to 100000, got %d", l.MaxQuestionChars)
	}
	if l.MaxUploadBytes < 1 || l.MaxUploadBytes > 20<<20 {
		bad("limits.max_upload_bytes", "must be 1 to %d (20 MiB), got %d", 20<<20, l.MaxUploadBytes)
	}
	if l.TopAnswers < 1 || l.TopAnswers > 10 {
		bad("limits.top_answers", "must be 1 to 10, got %d", l.TopAnswers)
	}

	if c.Ops.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Ops.Listen); err != nil {
			bad("ops.listen", "want host:port or empty, got %q", c.Ops.Listen)
		}
	}
	if c.Store.Enabled && strings.TrimSpace(c.Store.Path) == "" {
		bad("store.path", "required when store.enabled")
	}
	if c.Store.RetentionDays < 0 {
		bad("store.retention_days", "must be 0 (keep forever) or more, got %d", c.Store.RetentionDays)
	}
	if _, err := c.Log.SlogLevel(); err != nil {
		bad("log.level", "%v", err)
	}
	if f := c.Log.Format; f != "text" && f != "json" {
		bad("log.format", `must be "text" or "json", got %q`, f)
	}
	for i, p := range c.Lexicon.Dictd {
		for j, name := range []string{"index path", "dict path"} {
			if strings.TrimSpace(p[j]) == "" {
				bad(fmt.Sprintf("lexicon.dictd[%d][%d]", i, j), "empty %s", name)
			}
		}
	}
	return errors.Join(errs...)
}

// SlogLevel returns the slog level named by Level ("" is info).
func (l LogConfig) SlogLevel() (slog.Level, error) {
	switch strings.ToLower(l.Level) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return slog.LevelInfo, fmt.Errorf(`must be "debug", "info", "warn" or "error", got %q`, l.Level)
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

func notSecretChar(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
}

// isSnowflake reports whether s is a Discord id: 1 to 20 decimal digits
// fitting in a uint64.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 || strings.TrimLeft(s, "0123456789") != "" {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// checkURL accepts an absolute http or https URL with a host.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http:// or https:// URL, got %q", s)
	}
	return nil
}

// checkEndpoint accepts a Telegram API endpoint format: an http(s) URL with
// exactly two %s (the token, then the method) and no other verbs.
func checkEndpoint(s string) error {
	if err := checkURL(strings.ReplaceAll(s, "%s", "x")); err != nil {
		return err
	}
	if strings.Count(s, "%s") != 2 || strings.Count(s, "%") != 2 {
		return fmt.Errorf(`want exactly two %%s (token, method), e.g. "http://127.0.0.1:8081/bot%%s/%%s", got %q`, s)
	}
	return nil
}

const redacted = "[redacted]"

func redact(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// Redacted returns a copy of c with its secrets replaced by "[redacted]"
// (empty ones stay empty, so a missing token still shows).
func (c Config) Redacted() Config {
	c.Telegram = c.Telegram.Redacted()
	c.Discord = c.Discord.Redacted()
	return c
}

// Redacted returns a copy of t with the token and webhook secret redacted.
func (t TelegramConfig) Redacted() TelegramConfig {
	t.Token = redact(t.Token)
	t.WebhookSecret = redact(t.WebhookSecret)
	return t
}

// Redacted returns a copy of d with the token redacted.
func (d DiscordConfig) Redacted() DiscordConfig {
	d.Token = redact(d.Token)
	return d
}

// The plain types have the fields without the methods, for printing.
type (
	plainConfig   Config
	plainTelegram TelegramConfig
	plainDiscord  DiscordConfig
)

// String returns the redacted configuration as %+v prints it.
func (c Config) String() string { return fmt.Sprintf("%+v", c) }

// Format implements fmt.Formatter: every verb prints the redacted copy.
func (c Config) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), plainConfig(c.Redacted()))
}

// String returns the redacted section as %+v prints it.
func (t TelegramConfig) String() string { return fmt.Sprintf("%+v", t) }

// Format implements fmt.Formatter: every verb prints the redacted copy.
func (t TelegramConfig) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), plainTelegram(t.Redacted()))
}

// String returns the redacted section as %+v prints it.
func (d DiscordConfig) String() string { return fmt.Sprintf("%+v", d) }

// Format implements fmt.Formatter: every verb prints the redacted copy.
func (d DiscordConfig) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), plainDiscord(d.Redacted()))
}

// LogValue implements slog.LogValuer with the secrets redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Group("content", "dir", c.Content.Dir, "watch", c.Content.Watch),
		slog.Group("index", "dir", c.Index.Dir),
		slog.Any("telegram", c.Telegram),
		slog.Any("discord", c.Discord),
		slog.Group("limits", "user_per_minute", c.Limits.UserPerMinute, "chat_per_minute", c.Limits.ChatPerMinute,
			"max_question_chars", c.Limits.MaxQuestionChars, "max_upload_bytes", c.Limits.MaxUploadBytes,
			"top_answers", c.Limits.TopAnswers),
		slog.Group("ops", "listen", c.Ops.Listen),
		slog.Group("store", "enabled", c.Store.Enabled, "path", c.Store.Path, "retention_days", c.Store.RetentionDays),
		slog.Group("log", "level", c.Log.Level, "format", c.Log.Format),
		slog.Int("lexicon_dictd", len(c.Lexicon.Dictd)),
	)
}

// LogValue implements slog.LogValuer with the secrets redacted.
func (t TelegramConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("enabled", t.Enabled), slog.String("token", redact(t.Token)),
		slog.String("api_endpoint", t.APIEndpoint), slog.Any("admins", t.Admins), slog.String("mode", t.Mode),
		slog.String("webhook_listen", t.WebhookListen), slog.String("webhook_url", t.WebhookURL),
		slog.String("webhook_secret", redact(t.WebhookSecret)), slog.Any("allowed_chats", t.AllowedChats))
}

// LogValue implements slog.LogValuer with the secrets redacted.
func (d DiscordConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("enabled", d.Enabled), slog.String("token", redact(d.Token)),
		slog.String("api_base", d.APIBase), slog.Any("admins", d.Admins), slog.Any("guilds", d.Guilds),
		slog.Bool("message_content", d.MessageContent), slog.Any("allowed_channels", d.AllowedChannels))
}
