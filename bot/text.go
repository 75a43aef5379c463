package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DetectLang returns "ar" when s has an Arabic letter and "en" otherwise.
// It is the rule for the language of the router's fixed replies.
func DetectLang(s string) string {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return "ar"
		}
	}
	return "en"
}

// hasLetter reports whether s has any letter, i.e. whether DetectLang says
// something about it.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// sanitize makes s valid UTF-8 (dropping invalid bytes) and turns control
// characters other than newline and tab into spaces. It reports whether s
// had invalid UTF-8.
func sanitize(s string) (string, bool) {
	bad := !utf8.ValidString(s)
	if bad {
		s = strings.ToValidUTF8(s, "")
	}
	if strings.IndexFunc(s, isBadControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isBadControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return s, bad
}

func isBadControl(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == utf8.RuneError)
}

// ParseCommand splits "/name@bot args" into a lowercase command name and its
// arguments. ok is false when text is not a command: it must start with "/"
// followed by 1–32 ASCII letters, digits or underscores. When botName is
// non-empty a "@suffix" naming another bot makes ok false; any "@suffix" is
// otherwise dropped.
func ParseCommand(text, botName string) (cmd, args string, ok bool) {
	t := strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(t, "/") {
		return "", "", false
	}
	t = t[1:]
	end := strings.IndexAny(t, " \t\r\n")
	head := t
	if end >= 0 {
		head, args = t[:end], strings.TrimSpace(t[end+1:])
	}
	if at := strings.IndexByte(head, '@'); at >= 0 {
		target := head[at+1:]
		head = head[:at]
		if botName != "" && !strings.EqualFold(target, strings.TrimPrefix(botName, "@")) {
			return "", "", false
		}
	}
	if head == "" || len(head) > 32 {
		return "", "", false
	}
	for i := 0; i < len(head); i++ {
		c := head[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", "", false
		}
	}
	return strings.ToLower(head), args, true
}

// cleanFileName checks an uploaded file's name and returns its base name.
// ok is false for names with nothing left, a leading dot, control
// characters, or more than 200 bytes.
func cleanFileName(name string) (string, bool) {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if name == "" || strings.HasPrefix(name, ".") || len(name) > 200 || !utf8.ValidString(name) {
		return name, false
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == ':' || r == 0xFFFD {
			return name, false
		}
	}
	return name, true
}

// articleExt returns the lowercased extension of name if it is .txt or .md.
func articleExt(name string) (string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return "", false
	}
	ext := strings.ToLower(name[i:])
	return ext, ext == ".txt" || ext == ".md"
}
