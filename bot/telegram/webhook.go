package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// secretHeader carries the webhook's secret_token in Telegram's requests.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBody bounds one webhook request body.
const maxUpdateBody = 1 << 20

// serveWebhook listens on WebhookListen, registers WebhookURL with
// setWebhook (secret_token included) and handles the updates posted to it
// until ctx is done. The webhook stays registered after a stop, so Telegram
// keeps the updates that arrive meanwhile.
func (a *Adapter) serveWebhook(ctx context.Context, d *dispatcher) error {
	ln, err := net.Listen("tcp", a.opts.WebhookListen)
	if err != nil {
		return fmt.Errorf("telegram: webhook listen: %w", err)
	}
	srv := &http.Server{
		Handler:           a.webhookHandler(d),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	a.log.Info("telegram: webhook server listening", "addr", ln.Addr().String(), "path", a.webhookPath)

	var runErr error
	if err := a.setWebhook(ctx); err != nil {
		runErr = err
	} else if ctx.Err() == nil {
		a.connected.Store(true)
		select {
		case <-ctx.Done():
		case err := <-served:
			runErr = fmt.Errorf("telegram: webhook server: %w", err)
			served <- nil
		}
	}
	a.connected.Store(false)
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-served
	return runErr
}

// setWebhook registers the webhook, retrying transient errors until ctx is
// done. tgbotapi's WebhookConfig has no secret_token, so the call is made
// with MakeRequest.
func (a *Adapter) setWebhook(ctx context.Context) error {
	allowed, _ := json.Marshal(allowedUpdates)
	params := tgbotapi.Params{
		"url":             a.opts.WebhookURL,
		"secret_token":    a.opts.WebhookSecret,
		"allowed_updates": string(allowed),
	}
	backoff := time.Second
	for {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		_, err := a.api(rctx).MakeRequest("setWebhook", params)
		cancel()
		if err == nil {
			a.log.Info("telegram: webhook set", "url", a.scrub(a.opts.WebhookURL))
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		err = a.redact(err)
		if te := apiError(err); te != nil && te.RetryAfter == 0 && te.Code < 500 {
			return fmt.Errorf("telegram: setWebhook: %w", err)
		}
		a.log.Warn("telegram: setWebhook failed; retrying", "err", err, "in", backoff)
		if !sleep(ctx, backoff) {
			return nil
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// webhookHandler accepts Telegram's POSTs: the path must be the webhook
// URL's, the secret header must match (compared in constant time; 403
// otherwise), and the body must be one Update. It answers at once and
// handles the update in the background.
func (a *Adapter) webhookHandler(d *dispatcher) http.Handler {
	secret := []byte(a.opts.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != a.webhookPath && !(a.webhookPath == "/" && r.URL.Path == "") {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get(secretHeader))
		if subtle.ConstantTimeCompare(got, secret) != 1 {
			a.log.Warn("telegram: webhook request without the right secret", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBody+1))
		if err != nil || len(body) > maxUpdateBody {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(body, &u); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) || !strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			// A field of an unexpected type: log and acknowledge, or
			// Telegram would resend it forever.
			a.log.Warn("telegram: undecodable update", "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
		if !d.dispatch(u) {
			// Stopping: let Telegram deliver it again later.
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
