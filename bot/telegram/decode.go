package telegram

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qabot/qabot/bot"
)

// maxDownload is the Bot API's limit for files a bot can download.
const maxDownload = 20 << 20

// decode turns an update into a bot.Message. It reports false for updates
// the bot ignores: commands for another bot ("/ask@otherbot"), messages
// without text or document, service messages, the bot's own messages.
func (a *Adapter) decode(u tgbotapi.Update) (bot.Message, bool) {
	switch {
	case u.Message != nil:
		return a.decodeMessage(u.Message)
	case u.CallbackQuery != nil:
		return a.decodeCallback(u.CallbackQuery)
	}
	return bot.Message{}, false
}

func (a *Adapter) decodeCallback(cq *tgbotapi.CallbackQuery) (bot.Message, bool) {
	if cq.Message == nil || cq.Message.Chat == nil {
		return bot.Message{}, false
	}
	m := bot.Message{
		Platform:  "telegram",
		ChatID:    strconv.FormatInt(cq.Message.Chat.ID, 10),
		ChatKind:  chatKind(cq.Message.Chat),
		MessageID: strconv.Itoa(cq.Message.MessageID),
		Addressed: true, // a press on the bot's own button
		Callback:  &bot.Callback{ID: cq.ID, Data: clean(cq.Data)},
	}
	if cq.From != nil {
		m.UserID = strconv.FormatInt(cq.From.ID, 10)
		m.UserName = userName(cq.From)
	}
	return m, true
}

func (a *Adapter) decodeMessage(msg *tgbotapi.Message) (bot.Message, bool) {
	if msg.Chat == nil {
		return bot.Message{}, false
	}
	if msg.From != nil && msg.From.ID == a.self.ID {
		return bot.Message{}, false
	}
	text, entities := msg.Text, msg.Entities
	if msg.Document != nil && text == "" {
		text, entities = msg.Caption, msg.CaptionEntities
	}
	text = clean(text)
	if text == "" && msg.Document == nil {
		return bot.Message{}, false // stickers, photos, joins and the like
	}

	m := bot.Message{
		Platform:  "telegram",
		ChatID:    strconv.FormatInt(msg.Chat.ID, 10),
		ChatKind:  chatKind(msg.Chat),
		MessageID: strconv.Itoa(msg.MessageID),
	}
	switch {
	case msg.From != nil:
		m.UserID = strconv.FormatInt(msg.From.ID, 10)
		m.UserName = userName(msg.From)
	case msg.SenderChat != nil:
		m.UserID = strconv.FormatInt(msg.SenderChat.ID, 10)
		m.UserName = msg.SenderChat.Title
	}

	units := utf16.Encode([]rune(text))
	var cut []span // UTF-16 ranges removed from the text
	mentionFirst := false

	if len(entities) > 0 && entities[0].Type == "bot_command" && entities[0].Offset == 0 {
		e := entities[0]
		cmd := strings.TrimPrefix(u16slice(units, 0, e.Length), "/")
		name, target, hasTarget := strings.Cut(cmd, "@")
		if hasTarget {
			if !strings.EqualFold(target, a.self.UserName) {
				return bot.Message{}, false // "/ask@otherbot": not ours
			}
			m.Addressed = true
		}
		m.Command = strings.ToLower(name)
		cut = append(cut, span{0, e.Length})
	}
	for i, e := range entities {
		switch {
		case e.Type == "mention" && a.self.UserName != "" &&
			strings.EqualFold(u16slice(units, e.Offset, e.Length), "@"+a.self.UserName):
		case e.Type == "text_mention" && e.User != nil && e.User.ID == a.self.ID:
		default:
			continue
		}
		m.Addressed = true
		cut = append(cut, span{e.Offset, e.Offset + e.Length})
		if i == 0 && e.Offset == 0 {
			mentionFirst = true
		}
	}
	if r := msg.ReplyToMessage; r != nil && r.From != nil && r.From.ID == a.self.ID {
		m.Addressed = true
	}
	if m.ChatKind == bot.Private {
		m.Addressed = true
	}

	m.Text = tidy(u16remove(units, cut))
	if mentionFirst && m.Command == "" {
		// "@qabot, what …" → "what …"
		m.Text = strings.TrimSpace(strings.TrimLeft(m.Text, ",:;،؛ "))
	}

	if doc := msg.Document; doc != nil {
		fileID := doc.FileID
		m.Document = &bot.Document{
			Name:  clean(doc.FileName),
			Size:  int64(doc.FileSize),
			Fetch: func(ctx context.Context) ([]byte, error) { return a.fetch(ctx, fileID) },
		}
	}
	return m, true
}

func chatKind(c *tgbotapi.Chat) bot.ChatKind {
	if c.Type == "private" {
		return bot.Private
	}
	return bot.Group
}

func userName(u *tgbotapi.User) string {
	if u.UserName != "" {
		return u.UserName
	}
	return clean(strings.TrimSpace(u.FirstName + " " + u.LastName))
}

// span is a half-open range of UTF-16 code units.
type span struct{ from, to int }

// u16slice returns text[off:off+n] in UTF-16 code units, as Telegram's
// entity offsets count, clamped to the text.
func u16slice(units []uint16, off, n int) string {
	from, to := clamp(off, len(units)), clamp(off+n, len(units))
	if to <= from {
		return ""
	}
	return string(utf16.Decode(units[from:to]))
}

// u16remove returns the text with the spans cut out.
func u16remove(units []uint16, cut []span) string {
	if len(cut) == 0 {
		return string(utf16.Decode(units))
	}
	drop := make([]bool, len(units))
	for _, s := range cut {
		for i := clamp(s.from, len(units)); i < clamp(s.to, len(units)); i++ {
			drop[i] = true
		}
	}
	kept := make([]uint16, 0, len(units))
	for i, u := range units {
		if !drop[i] {
			kept = append(kept, u)
		}
	}
	return string(utf16.Decode(kept))
}

func clamp(i, n int) int {
	return max(0, min(i, n))
}

// tidy collapses the runs of spaces left where a mention was cut out and
// trims each line and the whole text; line breaks stay.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// fetch downloads a file: getFile for its path, then GET from the file
// endpoint. Errors never carry the token.
func (a *Adapter) fetch(ctx context.Context, fileID string) ([]byte, error) {
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	f, err := a.api(rctx).GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("telegram: getFile: %w", a.redact(err))
	}
	if f.FilePath == "" {
		return nil, fmt.Errorf("telegram: getFile: no file_path (file too big to download?)")
	}
	if f.FileSize > maxDownload {
		return nil, fmt.Errorf("telegram: file is %d bytes, more than the %d a bot can download", f.FileSize, maxDownload)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(a.fileEndpoint, a.opts.Token, f.FilePath), nil)
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %w", a.redact(err))
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %w", a.redact(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: download %s: HTTP %d", f.FilePath, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %w", a.redact(err))
	}
	if len(data) > maxDownload {
		return nil, fmt.Errorf("telegram: download %s: more than %d bytes", f.FilePath, maxDownload)
	}
	return data, nil
}
