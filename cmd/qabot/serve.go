package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/discord"
	"github.com/qabot/qabot/bot/telegram"
	"github.com/qabot/qabot/qa/service"
)

// runServe runs the bot on the configured platforms until ctx is done.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve")
	path := fs.String("config", "", "TOML config `FILE` (see config.example.toml)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	log, err := m.configLogger(cfg.Log)
	if err != nil {
		return err
	}
	return m.serve(ctx, cfg, log)
}

func (m *Main) configLogger(lc LogConfig) (*slog.Logger, error) {
	level, err := lc.SlogLevel()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	if lc.Format == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts)), nil
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts)), nil
}

// serve wires the content service, the router and the adapters, and runs
// them until ctx is done. It is the body of `qabot serve`, callable from a
// test with a Config.
func (m *Main) serve(ctx context.Context, cfg *Config, log *slog.Logger) error {
	lex := loadLexicon(false, cfg.Lexicon.Dictd, log)
	svc, err := service.New(ctx, service.Config{
		ContentDir:      cfg.Content.Dir,
		Lexicon:         lex,
		MaxArticleBytes: int(cfg.Limits.MaxUploadBytes),
		Logger:          log,
	})
	if err != nil {
		return err
	}
	router := bot.NewRouter(&backend{svc: svc}, routerConfig(cfg), log)

	var adapters []bot.Adapter
	if cfg.Telegram.Enabled {
		tg, err := telegram.New(telegram.Options{
			Token:         cfg.Telegram.Token,
			APIEndpoint:   cfg.Telegram.APIEndpoint,
			Mode:          cfg.Telegram.Mode,
			WebhookListen: cfg.Telegram.WebhookListen,
			WebhookURL:    cfg.Telegram.WebhookURL,
			WebhookSecret: cfg.Telegram.WebhookSecret,
			Logger:        log.With("platform", "telegram"),
			WillAnswer:    router.WillAnswer,
		})
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		adapters = append(adapters, tg)
	}
	if cfg.Discord.Enabled {
		dc, err := discord.New(discord.Options{
			Token:          cfg.Discord.Token,
			APIBase:        cfg.Discord.APIBase,
			Admins:         cfg.Discord.Admins,
			Guilds:         cfg.Discord.Guilds,
			MessageContent: cfg.Discord.MessageContent,
			Logger:         log.With("platform", "discord"),
			WillAnswer:     router.WillAnswer,
		})
		if err != nil {
			return fmt.Errorf("discord: %w", err)
		}
		adapters = append(adapters, dc)
	}
	if len(adapters) == 0 {
		return errors.New("no platform is enabled: set [telegram] or [discord] enabled = true (or use `qabot chat`)")
	}
	return runAdapters(ctx, adapters, router, log)
}

// runAdapters runs every adapter until ctx is done or all have stopped. An
// adapter that fails is logged; the others go on.
func runAdapters(ctx context.Context, adapters []bot.Adapter, h bot.Handler, log *slog.Logger) error {
	var wg sync.WaitGroup
	errs := make([]error, len(adapters))
	for i, a := range adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			log.Info("adapter starting", "adapter", a.Name())
			err := a.Run(ctx, h)
			if err != nil && ctx.Err() == nil {
				log.Error("adapter stopped", "adapter", a.Name(), "error", err, "after", time.Since(start).Round(time.Second))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		log.Info("stopped")
		return nil
	}
	return errors.Join(errs...)
}

func routerConfig(cfg *Config) bot.RouterConfig {
	rc := bot.DefaultRouterConfig()
	rc.Admins = map[string]map[string]bool{"telegram": {}, "discord": {}}
	for _, id := range cfg.Telegram.Admins {
		rc.Admins["telegram"][strconv.FormatInt(id, 10)] = true
	}
	for _, id := range cfg.Discord.Admins {
		rc.Admins["discord"][id] = true
	}
	if len(cfg.Telegram.AllowedChats) > 0 || len(cfg.Discord.AllowedChannels) > 0 {
		rc.AllowedChats = map[string]map[string]bool{}
		if len(cfg.Telegram.AllowedChats) > 0 {
			rc.AllowedChats["telegram"] = map[string]bool{}
			for _, id := range cfg.Telegram.AllowedChats {
				rc.AllowedChats["telegram"][strconv.FormatInt(id, 10)] = true
			}
		}
		if len(cfg.Discord.AllowedChannels) > 0 {
			rc.AllowedChats["discord"] = map[string]bool{}
			for _, id := range cfg.Discord.AllowedChannels {
				rc.AllowedChats["discord"][id] = true
			}
		}
	}
	rc.UserPerMinute = cfg.Limits.UserPerMinute
	rc.ChatPerMinute = cfg.Limits.ChatPerMinute
	if cfg.Limits.MaxQuestionChars > 0 {
		rc.MaxQuestionRunes = cfg.Limits.MaxQuestionChars
	}
	if cfg.Limits.MaxUploadBytes > 0 {
		rc.MaxUploadBytes = cfg.Limits.MaxUploadBytes
	}
	if cfg.Limits.TopAnswers > 0 {
		rc.TopAnswers = cfg.Limits.TopAnswers
	}
	return rc
}
