package discordtest

import (
	"testing"
	"time"
)

// Msg describes a MESSAGE_CREATE to dispatch. Empty ids are generated;
// an empty GuildID makes it a direct message.
type Msg struct {
	ID, ChannelID, GuildID string
	AuthorID, AuthorName   string
	AuthorBot              bool
	Content                string
	// MentionIDs are the users the message mentions (put "<@id>" in
	// Content too, as Discord does). Use the server's BotID for the bot.
	MentionIDs []string
	// ReplyToID and ReplyToAuthorID make it a reply to that message.
	ReplyToID, ReplyToAuthorID string
	Attachments                []Attachment
}

// Attachment is a file attached to a message or a slash command.
type Attachment struct {
	ID, Filename, URL string
	Size              int
}

func (a Attachment) json(s *Server) map[string]any {
	if a.ID == "" {
		a.ID = s.NewID()
	}
	return map[string]any{"id": a.ID, "filename": a.Filename, "size": a.Size, "url": a.URL, "proxy_url": a.URL}
}

func user(id, name string, bot bool) map[string]any {
	if name == "" {
		name = "user" + id
	}
	return map[string]any{"id": id, "username": name, "discriminator": "0", "bot": bot}
}

// SendMessage dispatches a MESSAGE_CREATE and returns the message id.
func (s *Server) SendMessage(t testing.TB, m Msg) string {
	t.Helper()
	if m.ID == "" {
		m.ID = s.NewID()
	}
	if m.ChannelID == "" {
		m.ChannelID = s.NewID()
	}
	if m.AuthorID == "" {
		m.AuthorID = "500000000000000001"
	}
	d := map[string]any{
		"id":         m.ID,
		"channel_id": m.ChannelID,
		"author":     user(m.AuthorID, m.AuthorName, m.AuthorBot),
		"content":    m.Content,
		"timestamp":  time.Now().UTC().Format(time.RFC3339Nano),
		"type":       0,
		"tts":        false,
	}
	if m.GuildID != "" {
		d["guild_id"] = m.GuildID
		d["member"] = map[string]any{"roles": []any{}}
	}
	mentions := []any{}
	for _, id := range m.MentionIDs {
		mentions = append(mentions, user(id, "", id == s.BotID))
	}
	d["mentions"] = mentions
	atts := []any{}
	for _, a := range m.Attachments {
		atts = append(atts, a.json(s))
	}
	d["attachments"] = atts
	if m.ReplyToID != "" {
		d["type"] = 19
		ref := map[string]any{"message_id": m.ReplyToID, "channel_id": m.ChannelID}
		if m.GuildID != "" {
			ref["guild_id"] = m.GuildID
		}
		d["message_reference"] = ref
		d["referenced_message"] = map[string]any{
			"id": m.ReplyToID, "channel_id": m.ChannelID, "content": "",
			"author":    user(m.ReplyToAuthorID, "", m.ReplyToAuthorID == s.BotID),
			"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "type": 0,
		}
	}
	s.Dispatch(t, "MESSAGE_CREATE", d)
	return m.ID
}

// Command describes a slash command to dispatch (INTERACTION_CREATE type
// 2). Empty ids and token are generated; an empty GuildID makes it a DM.
type Command struct {
	ID, Token, GuildID, ChannelID string
	UserID, UserName              string
	Name                          string
	// Options are string options by name (e.g. "question").
	Options map[string]string
	// File, when set, is passed as the attachment option "file".
	File *Attachment
}

// Interaction identifies a dispatched interaction.
type Interaction struct {
	ID, Token string
	// Sent is when it was dispatched (Discord's 3-second clock starts).
	Sent time.Time
}

// CallbackPattern is the pattern of its interaction callback.
func (i Interaction) CallbackPattern() string {
	return "POST /interactions/" + i.ID + "/" + i.Token + "/callback"
}

// OriginalPattern is the pattern of an edit of its original response.
func (i Interaction) OriginalPattern() string {
	return "PATCH /webhooks/*/" + i.Token + "/messages/@original"
}

// FollowupPattern is the pattern of its followup messages.
func (i Interaction) FollowupPattern() string {
	return "POST /webhooks/*/" + i.Token
}

func (s *Server) interactionBase(id, token, guildID, channelID, userID, userName string, typ int) (map[string]any, Interaction) {
	if id == "" {
		id = s.NewID()
	}
	if token == "" {
		token = "tok-" + s.NewID()
	}
	if channelID == "" {
		channelID = s.NewID()
	}
	if userID == "" {
		userID = "500000000000000001"
	}
	d := map[string]any{
		"id": id, "application_id": s.AppID, "type": typ, "token": token, "version": 1,
		"channel_id": channelID, "locale": "en-US",
	}
	if guildID != "" {
		d["guild_id"] = guildID
		d["member"] = map[string]any{"user": user(userID, userName, false), "roles": []any{}, "permissions": "0"}
	} else {
		d["user"] = user(userID, userName, false)
	}
	return d, Interaction{ID: id, Token: token}
}

// SendCommand dispatches a slash command.
func (s *Server) SendCommand(t testing.TB, c Command) Interaction {
	t.Helper()
	d, in := s.interactionBase(c.ID, c.Token, c.GuildID, c.ChannelID, c.UserID, c.UserName, 2)
	opts := []any{}
	for name, v := range c.Options {
		opts = append(opts, map[string]any{"name": name, "type": 3, "value": v})
	}
	data := map[string]any{"id": s.NewID(), "name": c.Name, "type": 1}
	if c.File != nil {
		a := c.File.json(s)
		opts = append(opts, map[string]any{"name": "file", "type": 11, "value": a["id"]})
		data["resolved"] = map[string]any{"attachments": map[string]any{a["id"].(string): a}}
	}
	data["options"] = opts
	d["data"] = data
	in.Sent = time.Now()
	s.Dispatch(t, "INTERACTION_CREATE", d)
	return in
}

// Press describes a button press (INTERACTION_CREATE type 3).
type Press struct {
	ID, Token, GuildID, ChannelID string
	UserID, UserName              string
	CustomID                      string
	MessageID                     string // the bot's message the button is on
}

// PressButton dispatches a button press.
func (s *Server) PressButton(t testing.TB, p Press) Interaction {
	t.Helper()
	d, in := s.interactionBase(p.ID, p.Token, p.GuildID, p.ChannelID, p.UserID, p.UserName, 3)
	if p.MessageID == "" {
		p.MessageID = s.NewID()
	}
	d["data"] = map[string]any{"custom_id": p.CustomID, "component_type": 2}
	d["message"] = map[string]any{
		"id": p.MessageID, "channel_id": d["channel_id"], "content": "",
		"author": s.botUser(), "timestamp": time.Now().UTC().Format(time.RFC3339Nano), "type": 0,
	}
	in.Sent = time.Now()
	s.Dispatch(t, "INTERACTION_CREATE", d)
	return in
}
