package bot

import (
	"errors"
	"strings"
	"unicode"
)

// MaxCommandLength is the longest command line the Mux accepts.
const MaxCommandLength = 4096

// ErrUnbalancedQuotes is set in Invocation.Err when a quote is not closed.
var ErrUnbalancedQuotes = errors.New("unbalanced quotes")

// ErrTooLong is set in Invocation.Err for over-long command lines.
var ErrTooLong = errors.New("command too long")

// ParseCommand reads "/name@BotName args" (or with the given prefix).
// ok is false when text is not a command, or is addressed to another bot
// (botName is the bot's own username; empty accepts any).
func ParseCommand(text, prefix, botName string) (inv Invocation, ok bool) {
	text = strings.TrimLeft(text, " \t")
	if prefix == "" {
		prefix = "/"
	}
	if !strings.HasPrefix(text, prefix) {
		return inv, false
	}
	rest := text[len(prefix):]
	end := strings.IndexFunc(rest, unicode.IsSpace)
	head, args := rest, ""
	if end >= 0 {
		head, args = rest[:end], rest[end:]
	}
	name, target, addressed := strings.Cut(head, "@")
	if name == "" || !validCommandName(name) {
		return inv, false
	}
	if addressed && botName != "" && !strings.EqualFold(target, botName) {
		return inv, false
	}
	inv.Name = strings.ToLower(name)
	inv.RawArgs = strings.TrimSpace(args)
	if len(text) > MaxCommandLength {
		inv.Err = ErrTooLong
		return inv, true
	}
	inv.Args, inv.Err = SplitArgs(inv.RawArgs)
	return inv, true
}

func validCommandName(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// SplitArgs splits s on white space, keeping "double", 'single', “curly” and
// 「corner」 quoted parts together.
func SplitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var closing rune
	for _, r := range s {
		switch {
		case closing != 0:
			if r == closing {
				closing = 0
				continue
			}
			cur.WriteRune(r)
		case ClosingQuote(r) != 0 && (!inArg || cur.Len() == 0):
			closing = ClosingQuote(r)
			inArg = true
		case unicode.IsSpace(r):
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if closing != 0 {
		return nil, ErrUnbalancedQuotes
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// ClosingQuote returns the quote that closes an argument opened with r
// ("…", '…', “…”, 「…」), or 0 when r opens no quote.
func ClosingQuote(r rune) rune {
	switch r {
	case '"', '\'':
		return r
	case '“':
		return '”'
	case '「':
		return '」'
	}
	return 0
}
