package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "qabot.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigEnvExpansion(t *testing.T) {
	t.Setenv("QABOT_TEST_TOKEN", "123:secret-token")
	t.Setenv("QABOT_TEST_DIR", "/srv/articles")
	t.Setenv("TELEGRAM_TOKEN", "")
	p := writeConfig(t, `
[content]
dir = "$QABOT_TEST_DIR/news"
watch = true
[telegram]
enabled = true
token = "${QABOT_TEST_TOKEN}"
admins = [42, 7]
webhook_secret = "a$$b"
[limits]
top_answers = 3
[lexicon]
dictd = [["/a.index", "/a.dict.dz"]]
`)
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Content.Dir != "/srv/articles/news" || !c.Content.Watch {
		t.Errorf("content = %+v", c.Content)
	}
	if c.Telegram.Token != "123:secret-token" || !reflect.DeepEqual(c.Telegram.Admins, []int64{42, 7}) {
		t.Errorf("telegram token %q admins %v", c.Telegram.Token, c.Telegram.Admins)
	}
	if c.Telegram.WebhookSecret != "a$b" {
		t.Errorf("$$ gave %q", c.Telegram.WebhookSecret)
	}
	if c.Limits.TopAnswers != 3 || c.Limits.UserPerMinute != 6 || c.Telegram.Mode != "poll" || c.Index.Dir != "data/index" {
		t.Errorf("defaults lost: %+v %+v", c.Limits, c.Telegram)
	}
	if len(c.Lexicon.Dictd) != 1 || c.Lexicon.Dictd[0] != [2]string{"/a.index", "/a.dict.dz"} {
		t.Errorf("dictd = %v", c.Lexicon.Dictd)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestLoadConfigTokenFromEnv(t *testing.T) {
	t.Setenv("TELEGRAM_TOKEN", "1:tg")
	t.Setenv("DISCORD_TOKEN", "dc")
	c, err := LoadConfig(writeConfig(t, "[telegram]\nenabled = true\n[discord]\ntoken = \"own\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram.Token != "1:tg" || c.Discord.Token != "own" {
		t.Errorf("tokens %q %q", c.Telegram.Token, c.Discord.Token)
	}
	c, err = LoadConfig("")
	if err != nil || c.Telegram.Token != "1:tg" || c.Discord.Token != "dc" {
		t.Errorf("no file: %v %+v", err, c)
	}
}

func TestLoadConfigUnknownKey(t *testing.T) {
	_, err := LoadConfig(writeConfig(t, "[telegram]\nenabled = false\ntokne = \"x\"\n[nosuch]\na = 1\n"))
	if err == nil || !strings.Contains(err.Error(), "telegram.tokne") || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("err = %v", err)
	}
	_, err = LoadConfig(writeConfig(t, "[limits]\ntop_answers = \"two\"\n"))
	if err == nil || !strings.Contains(err.Error(), "top_answers") {
		t.Errorf("type error = %v", err)
	}
	_, err = LoadConfig(writeConfig(t, "[lexicon]\ndictd = [[\"a\", \"b\", \"c\"]]\n"))
	if err == nil || !strings.Contains(err.Error(), "dictd") {
		t.Errorf("dictd error = %v", err)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.toml")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestValidateMessages(t *testing.T) {
	for _, c := range []struct {
		name string
		mod  func(*Config)
		want []string
	}{
		{"mode", func(c *Config) { c.Telegram.Enabled, c.Telegram.Token, c.Telegram.Mode = true, "1:x", "push" },
			[]string{`telegram.mode: must be "poll" or "webhook", got "push"`}},
		{"tg token", func(c *Config) { c.Telegram.Enabled = true }, []string{"telegram.token: required when telegram.enabled"}},
		{"dc token", func(c *Config) { c.Discord.Enabled = true }, []string{"discord.token: required when discord.enabled"}},
		{"snowflake", func(c *Config) {
			c.Discord.Enabled, c.Discord.Token = true, "t"
			c.Discord.Admins = []string{"123456789012345678", "@bob"}
			c.Discord.Guilds = []string{"99999999999999999999999"}
		}, []string{`discord.admins[1]: not a snowflake: "@bob"`, "discord.guilds[0]: not a snowflake"}},
		{"api base", func(c *Config) {
			c.Discord.Enabled, c.Discord.Token, c.Discord.APIBase = true, "t", "http://127.0.0.1:8090"
		},
			[]string{`discord.api_base: must end in "/"`}},
		{"endpoint", func(c *Config) {
			c.Telegram.Enabled, c.Telegram.Token, c.Telegram.APIEndpoint = true, "1:x", "http://127.0.0.1:8081/bot"
		}, []string{"telegram.api_endpoint: want exactly two %s"}},
		{"webhook", func(c *Config) {
			c.Telegram.Enabled, c.Telegram.Token, c.Telegram.Mode = true, "1:x", "webhook"
			c.Telegram.WebhookListen, c.Telegram.WebhookSecret = "8443", "no spaces allowed"
		}, []string{"telegram.webhook_listen: want host:port", "telegram.webhook_url: required", "telegram.webhook_secret:"}},
		{"admins", func(c *Config) { c.Telegram.Enabled, c.Telegram.Token, c.Telegram.Admins = true, "1:x", []int64{5, -1} },
			[]string{"telegram.admins[1]: not a user id: -1"}},
		{"limits", func(c *Config) { c.Limits = LimitsConfig{UserPerMinute: -1, TopAnswers: 0} }, []string{
			"limits.user_per_minute:", "limits.max_question_chars: must be 1 to 100000, got 0",
			"limits.max_upload_bytes:", "limits.top_answers: must be 1 to 10, got 0"}},
		{"misc", func(c *Config) {
			c.Log = LogConfig{Level: "loud", Format: "xml"}
			c.Ops.Listen = "9090"
			c.Store.Path = ""
			c.Index.Dir = ""
			c.Lexicon.Dictd = [][2]string{{"a", ""}}
		}, []string{`log.level: must be "debug", "info", "warn" or "error", got "loud"`, `log.format: must be "text" or "json", got "xml"`,
			"ops.listen:", "store.path: required when store.enabled", "index.dir: required", "lexicon.dictd[0][1]: empty dict path"}},
	} {
		cfg := DefaultConfig()
		c.mod(cfg)
		err := cfg.Validate()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", c.name, w, err)
			}
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestPlatformOffNeedsNothing(t *testing.T) {
	t.Setenv("TELEGRAM_TOKEN", "")
	t.Setenv("DISCORD_TOKEN", "")
	c, err := LoadConfig(writeConfig(t, "[telegram]\nenabled = false\nmode = \"push\"\n[discord]\nenabled = false\nadmins = [\"x\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	c.Discord.Enabled, c.Discord.Token, c.Discord.Admins = true, "tok", nil
	if err := c.Validate(); err != nil {
		t.Errorf("Discord on, Telegram off: %v", err)
	}
}

func TestConfigRedaction(t *testing.T) {
	const tg, dc, hook = "123456:TG-SECRET-abc", "DC.SECRET.xyz", "HOOKSECRET"
	c := DefaultConfig()
	c.Telegram.Enabled, c.Telegram.Token, c.Telegram.WebhookSecret = true, tg, hook
	c.Discord.Enabled, c.Discord.Token = true, dc

	var outs []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outs = append(outs, fmt.Sprintf(f, c), fmt.Sprintf(f, *c), fmt.Sprintf(f, c.Telegram),
			fmt.Sprintf(f, c.Discord), fmt.Sprintf(f, []any{c}))
	}
	outs = append(outs, c.String(), fmt.Sprint(c), fmt.Sprintln(*c))
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		l := slog.New(h)
		l.Info("config", "cfg", c, "value", *c, "tg", c.Telegram, "dc", c.Discord)
		l.Info("config", slog.Any("cfg", c))
	}
	outs = append(outs, logs.String())
	js, _ := json.Marshal(c)
	outs = append(outs, string(js))
	for i, o := range outs {
		for _, secret := range []string{tg, dc, hook, fmt.Sprintf("%x", tg)} {
			if strings.Contains(o, secret) {
				t.Errorf("output %d leaks %q:\n%s", i, secret, o)
			}
		}
	}
	if !strings.Contains(c.String(), "Token:[redacted]") || !strings.Contains(logs.String(), `"token":"[redacted]"`) ||
		!strings.Contains(logs.String(), "telegram.token=[redacted]") {
		t.Errorf("redaction marker missing:\n%s\n%s", c.String(), logs.String())
	}
	if c.Telegram.Token != tg {
		t.Error("redaction changed the config")
	}
	// An empty token stays visibly empty.
	if s := DefaultConfig().String(); strings.Contains(s, "[redacted]") {
		t.Errorf("empty token shown as redacted: %s", s)
	}
}

func TestExampleConfig(t *testing.T) {
	t.Setenv("TELEGRAM_TOKEN", "1:x")
	t.Setenv("DISCORD_TOKEN", "y")
	c, err := LoadConfig("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}
