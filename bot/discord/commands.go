package discord

import "github.com/bwmarrin/discordgo"

// localeArabic is Discord's locale code for Arabic. discordgo v0.29.0 has no
// constant for it and older Discord API versions reject it; registration
// falls back to commands without localizations when Discord refuses them.
const localeArabic discordgo.Locale = "ar"

// Commands returns the slash commands the adapter registers: ask (one
// required string option "question"), sources, and the admin commands
// reload (optional attachment "file") and stats, hidden from members
// without permissions by default_member_permissions "0". With localized
// false the Arabic descriptions are left out.
func Commands(localized bool) []*discordgo.ApplicationCommand {
	adminOnly := int64(0)
	loc := func(ar string) *map[discordgo.Locale]string {
		if !localized {
			return nil
		}
		return &map[discordgo.Locale]string{localeArabic: ar}
	}
	optLoc := func(ar string) map[discordgo.Locale]string {
		if !localized {
			return nil
		}
		return map[discordgo.Locale]string{localeArabic: ar}
	}
	return []*discordgo.ApplicationCommand{
		{
			Name:                     "ask",
			Type:                     discordgo.ChatApplicationCommand,
			Description:              "Ask a question about the news articles (Arabic or English)",
			DescriptionLocalizations: loc("اسأل سؤالاً عن المقالات الإخبارية (بالعربية أو الإنجليزية)"),
			Options: []*discordgo.ApplicationCommandOption{{
				Type:                     discordgo.ApplicationCommandOptionString,
				Name:                     "question",
				Description:              "Your question",
				DescriptionLocalizations: optLoc("سؤالك"),
				Required:                 true,
				MaxLength:                1000,
			}},
		},
		{
			Name:                     "sources",
			Type:                     discordgo.ChatApplicationCommand,
			Description:              "List the articles the bot quotes from",
			DescriptionLocalizations: loc("اعرض المقالات التي يقتبس منها البوت"),
		},
		{
			Name:                     "reload",
			Type:                     discordgo.ChatApplicationCommand,
			Description:              "Reload the articles, or add one from an attached .txt/.md file (admins)",
			DescriptionLocalizations: loc("أعد تحميل المقالات، أو أضف مقالاً من ملف \u200e.txt/.md مرفق (للمشرفين)"),
			DefaultMemberPermissions: &adminOnly,
			Options: []*discordgo.ApplicationCommandOption{{
				Type:                     discordgo.ApplicationCommandOptionAttachment,
				Name:                     "file",
				Description:              "A .txt or .md article to add",
				DescriptionLocalizations: optLoc("مقال بصيغة \u200e.txt أو \u200e.md لإضافته"),
				Required:                 false,
			}},
		},
		{
			Name:                     "stats",
			Type:                     discordgo.ChatApplicationCommand,
			Description:              "Usage statistics (admins)",
			DescriptionLocalizations: loc("إحصاءات الاستخدام (للمشرفين)"),
			DefaultMemberPermissions: &adminOnly,
		},
	}
}
