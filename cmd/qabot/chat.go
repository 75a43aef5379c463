package main

import (
	"context"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/backend"
	"github.com/qabot/qabot/bot/console"
)

// runChat is the console chat: the same router as Telegram and Discord, on
// stdin and stdout, with the console user as admin.
func (m *Main) runChat(ctx context.Context, args []string) error {
	fs := m.newFlagSet("chat")
	var c contentFlags
	c.register(fs)
	quiet := fs.Bool("quiet", false, "no banner and no prompt (for pipes)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	svc, err := m.openService(ctx, c)
	if err != nil {
		return err
	}
	cfg := bot.DefaultRouterConfig()
	cfg.Admins = map[string]map[string]bool{console.Platform: {"console": true}}
	cfg.UserPerMinute, cfg.ChatPerMinute = 0, 0 // one local user: no limits
	router := bot.NewRouter(&backend.Backend{Service: svc}, cfg, m.logger(levelFor(c.verbose)))
	return console.New(m.Stdin, m.Stdout, console.Options{Quiet: *quiet}).Run(ctx, router)
}
