package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ctxClient is the tgbotapi.HTTPClient the adapter hands to the library.
// tgbotapi builds its requests with http.NewRequest (no context), so every
// call would otherwise be uncancellable; ctxClient attaches the context of
// the call the adapter is making.
type ctxClient struct {
	c   *http.Client
	ctx context.Context
}

// Do sends req with the bound context.
func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}

// api returns a BotAPI whose requests carry ctx. A BotAPI is a few words of
// state: one per call is cheaper than any locking, and it never starts the
// library's own polling goroutine (GetUpdatesChan is not used).
func (a *Adapter) api(ctx context.Context) *tgbotapi.BotAPI {
	b := &tgbotapi.BotAPI{Token: a.opts.Token, Client: ctxClient{c: a.client, ctx: ctx}}
	b.SetAPIEndpoint(a.apiEndpoint)
	b.Self = a.self
	return b
}

const redacted = "<redacted>"

// redact removes the bot token from err's message. The library puts the
// token in every request URL, and *url.Error prints the URL
// (`Post "https://api.telegram.org/bot123:ABC/getUpdates": …`), so any
// transport error would otherwise leak it into the logs.
func (a *Adapter) redact(err error) error {
	if err == nil || a.opts.Token == "" {
		return err
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return err // the API's own description: no URL in it
	}
	if !a.hasToken(err.Error()) {
		return err
	}
	if ue, ok := err.(*url.Error); ok && !a.hasToken(ue.Err.Error()) {
		cp := *ue
		cp.URL = a.scrub(ue.URL)
		return &cp
	}
	return &redactedError{msg: a.scrub(err.Error()), err: err}
}

func (a *Adapter) hasToken(s string) bool {
	t := a.opts.Token
	return strings.Contains(s, t) || strings.Contains(s, url.PathEscape(t)) || strings.Contains(s, url.QueryEscape(t))
}

func (a *Adapter) scrub(s string) string {
	t := a.opts.Token
	s = strings.ReplaceAll(s, t, redacted)
	s = strings.ReplaceAll(s, url.PathEscape(t), redacted)
	return strings.ReplaceAll(s, url.QueryEscape(t), redacted)
}

// redactedError is an error whose message had the token scrubbed. Unwrap
// keeps errors.Is(err, context.Canceled) and the like working.
type redactedError struct {
	msg string
	err error
}

// Error returns the scrubbed message.
func (e *redactedError) Error() string { return e.msg }

// Unwrap returns the original error.
func (e *redactedError) Unwrap() error { return e.err }

// apiError returns the Bot API error inside err, if it is one.
func apiError(err error) *tgbotapi.Error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te
	}
	return nil
}
