package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/qabot/qabot/bot"
)

var mentionRE = regexp.MustCompile(`<@!?(\d+)>`)

func (a *Adapter) onMessageCreate(_ *discordgo.Session, mc *discordgo.MessageCreate) {
	ctx, h, ok := a.track()
	if !ok {
		return
	}
	defer a.wg.Done()
	defer a.recoverEvent("MESSAGE_CREATE")
	if mc == nil || mc.Message == nil {
		return
	}
	m, ok := a.fromMessage(mc.Message)
	if !ok {
		return
	}
	stopTyping := func() {}
	if a.willAnswer(m) {
		stopTyping = a.startTyping(ctx, mc.ChannelID)
	}
	replies := a.handle(ctx, h, m)
	stopTyping()
	a.sendMessages(ctx, mc.Message, replies)
}

// fromMessage decodes a MESSAGE_CREATE; ok is false for messages the
// adapter drops: from bots (itself included), system messages, and guild
// messages that neither mention the bot nor reply to it.
func (a *Adapter) fromMessage(dm *discordgo.Message) (bot.Message, bool) {
	self := a.selfID()
	if dm.Author == nil || dm.Author.Bot || dm.Author.System || dm.WebhookID != "" {
		return bot.Message{}, false
	}
	if self != "" && dm.Author.ID == self {
		return bot.Message{}, false
	}
	if dm.Type != discordgo.MessageTypeDefault && dm.Type != discordgo.MessageTypeReply {
		return bot.Message{}, false
	}
	private := dm.GuildID == ""
	mentioned := false
	text := dm.Content
	if self != "" {
		for _, u := range dm.Mentions {
			if u != nil && u.ID == self {
				mentioned = true
			}
		}
		// The bot's own mentions are cut from the text; one there counts
		// even when the mentions array is missing (Discord fills it, but
		// be lenient).
		text = mentionRE.ReplaceAllStringFunc(text, func(s string) string {
			if mentionRE.FindStringSubmatch(s)[1] == self {
				mentioned = true
				return " "
			}
			return s
		})
	}
	replyToUs := dm.ReferencedMessage != nil && dm.ReferencedMessage.Author != nil &&
		self != "" && dm.ReferencedMessage.Author.ID == self
	if !private && !mentioned && !replyToUs {
		return bot.Message{}, false
	}
	cmd, text := splitCommand(strings.TrimSpace(text))
	m := bot.Message{
		Platform:  "discord",
		ChatID:    dm.ChannelID,
		ChatKind:  bot.Group,
		MessageID: dm.ID,
		UserID:    dm.Author.ID,
		UserName:  userName(dm.Author),
		Text:      text,
		Command:   cmd,
		Addressed: true,
	}
	if private {
		m.ChatKind = bot.Private
	}
	if len(dm.Attachments) > 0 && dm.Attachments[0] != nil {
		m.Document = a.document(dm.Author.ID, dm.Attachments[0])
	}
	return m, true
}

var commandRE = regexp.MustCompile(`^/([A-Za-z][A-Za-z0-9_-]{0,31})(?:\s+|$)`)

// splitCommand recognises a leading "/name" typed as text (a DM, or after a
// mention) as a command; Discord clients turn most of these into slash
// commands, but not all.
func splitCommand(text string) (cmd, rest string) {
	sm := commandRE.FindStringSubmatchIndex(text)
	if sm == nil {
		return "", text
	}
	return strings.ToLower(text[sm[2]:sm[3]]), strings.TrimSpace(text[sm[1]:])
}

func userName(u *discordgo.User) string {
	if u == nil {
		return ""
	}
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// document wraps an attachment; Fetch downloads it through the adapter's
// HTTP client, only for an admin, at most Size bytes (8 MiB when unknown).
func (a *Adapter) document(userID string, att *discordgo.MessageAttachment) *bot.Document {
	url := att.URL
	size := int64(att.Size)
	return &bot.Document{
		Name: att.Filename,
		Size: size,
		Fetch: func(ctx context.Context) ([]byte, error) {
			if !a.admins[userID] {
				return nil, errors.New("discord: only admins may upload files")
			}
			if safeURL(url) == "" {
				return nil, fmt.Errorf("discord: attachment URL %q is not http(s)", url)
			}
			limit := size
			if limit <= 0 || limit > maxDocument {
				limit = maxDocument
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return nil, err
			}
			resp, err := a.s.Client.Do(req)
			if err != nil {
				return nil, fmt.Errorf("discord: fetching attachment: %w", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return nil, fmt.Errorf("discord: fetching attachment: HTTP %s", resp.Status)
			}
			data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
			if err != nil {
				return nil, fmt.Errorf("discord: fetching attachment: %w", err)
			}
			if int64(len(data)) > limit {
				return nil, fmt.Errorf("discord: attachment larger than %d bytes", limit)
			}
			return data, nil
		},
	}
}

// startTyping shows "typing…" in the channel until the returned function
// is called (Discord shows it for 10 s, so it is renewed).
func (a *Adapter) startTyping(ctx context.Context, channelID string) func() {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer a.recoverEvent("typing")
		for {
			err := a.do(ctx, "typing", func(o ...discordgo.RequestOption) error {
				return a.s.ChannelTyping(channelID, o...)
			})
			if err != nil && ctx.Err() == nil {
				a.log.Debug("discord: typing", "err", err)
			}
			t := time.NewTimer(typingEvery)
			select {
			case <-stop:
				t.Stop()
				return
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(stop)
		<-done
	}
}

// sendMessages posts the replies to a message into its channel, the first
// message of each reply referencing the question (or Reply.ReplyTo).
func (a *Adapter) sendMessages(ctx context.Context, q *discordgo.Message, replies []bot.Reply) {
	for _, r := range replies {
		msgs := renderWithToast(r)
		ref := r.ReplyTo
		if ref == "" {
			ref = q.ID
		}
		for i, om := range msgs {
			send := &discordgo.MessageSend{
				Content:         om.Content,
				Embeds:          om.Embeds,
				Components:      om.Components,
				AllowedMentions: allowNoMentions(),
			}
			if i == 0 && ref != "" {
				noFail := false
				send.Reference = &discordgo.MessageReference{
					MessageID:       ref,
					ChannelID:       q.ChannelID,
					GuildID:         q.GuildID,
					FailIfNotExists: &noFail,
				}
			}
			err := a.do(ctx, "send message", func(o ...discordgo.RequestOption) error {
				_, err := a.s.ChannelMessageSendComplex(q.ChannelID, send, o...)
				return err
			})
			if err != nil {
				if ctx.Err() == nil {
					a.log.Error("discord: sending a reply failed", "channel", q.ChannelID, "err", err)
				}
				return
			}
		}
	}
}

// renderWithToast renders a reply; a Toast becomes an ephemeral text
// message ahead of the rest.
func renderWithToast(r bot.Reply) []outMessage {
	msgs := renderReply(r)
	if t := strings.TrimSpace(r.Toast); t != "" {
		toast := outMessage{Content: escapeContent(truncate(t, maxContent-100)), Ephemeral: true}
		msgs = append([]outMessage{toast}, msgs...)
	}
	return msgs
}
