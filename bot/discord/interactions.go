package discord

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/qabot/qabot/bot"
)

func (a *Adapter) onInteractionCreate(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	ctx, h, ok := a.track()
	if !ok {
		return
	}
	defer a.wg.Done()
	defer a.recoverEvent("INTERACTION_CREATE")
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	m, ok := a.fromInteraction(i)
	if !ok {
		return
	}
	a.answerInteraction(ctx, h, i, m)
}

// fromInteraction decodes a slash command or a button press.
func (a *Adapter) fromInteraction(i *discordgo.Interaction) (bot.Message, bool) {
	var u *discordgo.User
	if i.Member != nil && i.Member.User != nil {
		u = i.Member.User
	} else if i.User != nil {
		u = i.User
	}
	if u == nil || u.Bot {
		return bot.Message{}, false
	}
	m := bot.Message{
		Platform:  "discord",
		ChatID:    i.ChannelID,
		ChatKind:  bot.Group,
		MessageID: i.ID,
		UserID:    u.ID,
		UserName:  userName(u),
		Addressed: true,
	}
	if i.GuildID == "" {
		m.ChatKind = bot.Private
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return bot.Message{}, false
		}
		m.Command = strings.ToLower(data.Name)
		for _, opt := range data.Options {
			if opt == nil {
				continue
			}
			switch opt.Type {
			case discordgo.ApplicationCommandOptionString:
				if s, ok := opt.Value.(string); ok && (opt.Name == "question" || m.Text == "") {
					m.Text = strings.TrimSpace(s)
				}
			case discordgo.ApplicationCommandOptionAttachment:
				id, _ := opt.Value.(string)
				if data.Resolved != nil && data.Resolved.Attachments[id] != nil {
					m.Document = a.document(u.ID, data.Resolved.Attachments[id])
				}
			}
		}
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return bot.Message{}, false
		}
		m.Callback = &bot.Callback{ID: i.ID, Data: data.CustomID}
	default:
		return bot.Message{}, false
	}
	return m, true
}

// answerInteraction runs the handler and acknowledges the interaction in
// time: directly with the answer when it comes within DeferAfter, else
// with a deferred response that the answer then edits.
func (a *Adapter) answerInteraction(ctx context.Context, h bot.Handler, i *discordgo.Interaction, m bot.Message) {
	result := make(chan []bot.Reply, 1)
	go func() { result <- a.handle(ctx, h, m) }()
	timer := time.NewTimer(a.opts.DeferAfter)
	select {
	case replies := <-result:
		timer.Stop()
		a.respondNow(ctx, i, m, replies)
		return
	case <-timer.C:
	}
	// The admin commands' answers are for the admin: defer them privately.
	private := m.Command == "reload" || m.Command == "stats"
	deferred := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if private {
		deferred.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	err := a.do(ctx, "defer interaction", func(o ...discordgo.RequestOption) error {
		return a.interactionRespond(i, deferred, o...)
	})
	replies := <-result // the handler returns promptly once ctx is done
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("discord: deferring an interaction failed", "interaction", i.ID, "err", err)
		}
		return
	}
	a.respondLater(ctx, i, replies, private)
}

// flatten renders all replies to one interaction in order.
func flatten(replies []bot.Reply) []outMessage {
	var msgs []outMessage
	for _, r := range replies {
		msgs = append(msgs, renderWithToast(r)...)
	}
	return msgs
}

func (a *Adapter) respondNow(ctx context.Context, i *discordgo.Interaction, m bot.Message, replies []bot.Reply) {
	msgs := flatten(replies)
	var resp *discordgo.InteractionResponse
	switch {
	case len(msgs) > 0:
		first := msgs[0]
		resp = &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content:         first.Content,
				Embeds:          first.Embeds,
				Components:      first.Components,
				AllowedMentions: allowNoMentions(),
				Flags:           flags(first.Ephemeral),
			},
		}
		msgs = msgs[1:]
	case m.Callback != nil:
		// nothing to say to a button press: acknowledge without a message
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	default:
		resp = &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content:         "✓",
				AllowedMentions: allowNoMentions(),
				Flags:           discordgo.MessageFlagsEphemeral,
			},
		}
	}
	err := a.do(ctx, "respond to interaction", func(o ...discordgo.RequestOption) error {
		return a.interactionRespond(i, resp, o...)
	})
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("discord: responding to an interaction failed", "interaction", i.ID, "err", err)
		}
		return
	}
	a.followups(ctx, i, msgs)
}

// respondLater edits the deferred response into the first message and
// sends the rest as followups. A public deferred response cannot become
// ephemeral: when the first message is, the deferred response is deleted
// and every message goes as a followup. A private (ephemeral) deferred
// response takes the first message as it is.
func (a *Adapter) respondLater(ctx context.Context, i *discordgo.Interaction, replies []bot.Reply, private bool) {
	msgs := flatten(replies)
	if len(msgs) == 0 || (msgs[0].Ephemeral && !private) {
		// the deferred response is public: remove it, and send the
		// ephemeral answer as a followup instead
		err := a.do(ctx, "delete deferred response", func(o ...discordgo.RequestOption) error {
			return a.s.InteractionResponseDelete(i, o...)
		})
		if err != nil && ctx.Err() == nil {
			a.log.Warn("discord: deleting a deferred response failed", "interaction", i.ID, "err", err)
		}
		a.followups(ctx, i, msgs)
		return
	}
	first := msgs[0]
	edit := &discordgo.WebhookEdit{
		Content:         &first.Content,
		Embeds:          &first.Embeds,
		Components:      &first.Components,
		AllowedMentions: allowNoMentions(),
	}
	if first.Embeds == nil {
		edit.Embeds = &[]*discordgo.MessageEmbed{}
	}
	if first.Components == nil {
		edit.Components = &[]discordgo.MessageComponent{}
	}
	err := a.do(ctx, "edit deferred response", func(o ...discordgo.RequestOption) error {
		_, err := a.s.InteractionResponseEdit(i, edit, o...)
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("discord: editing a deferred response failed", "interaction", i.ID, "err", err)
		}
		return
	}
	a.followups(ctx, i, msgs[1:])
}

func (a *Adapter) followups(ctx context.Context, i *discordgo.Interaction, msgs []outMessage) {
	for _, om := range msgs {
		params := &discordgo.WebhookParams{
			Content:         om.Content,
			Embeds:          om.Embeds,
			Components:      om.Components,
			AllowedMentions: allowNoMentions(),
			Flags:           flags(om.Ephemeral),
		}
		err := a.do(ctx, "followup", func(o ...discordgo.RequestOption) error {
			return a.followup(i, params, o...)
		})
		if err != nil {
			if ctx.Err() == nil {
				a.log.Error("discord: sending a followup failed", "interaction", i.ID, "err", err)
			}
			return
		}
	}
}

// Interaction calls go through a fixed set of rate-limit buckets: discordgo
// keys buckets by URL, and interaction URLs carry a fresh token each time,
// so its bucket map would grow by one entry per interaction for good.
const interactionBuckets = 32

func interactionBucket(kind, token string) string {
	h := fnv.New32a()
	h.Write([]byte(token))
	return fmt.Sprintf("qabot/%s/%d", kind, h.Sum32()%interactionBuckets)
}

// interactionRespond is Session.InteractionRespond with a bounded bucket.
func (a *Adapter) interactionRespond(i *discordgo.Interaction, resp *discordgo.InteractionResponse, o ...discordgo.RequestOption) error {
	_, err := a.s.RequestWithBucketID(http.MethodPost, discordgo.EndpointInteractionResponse(i.ID, i.Token), resp,
		interactionBucket("callback", i.Token), o...)
	return err
}

// followup is Session.FollowupMessageCreate with a bounded bucket.
func (a *Adapter) followup(i *discordgo.Interaction, params *discordgo.WebhookParams, o ...discordgo.RequestOption) error {
	_, err := a.s.RequestWithBucketID(http.MethodPost, discordgo.EndpointWebhookToken(i.AppID, i.Token)+"?wait=true", params,
		interactionBucket("followup", i.Token), o...)
	return err
}

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}
