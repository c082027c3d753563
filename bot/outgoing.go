package bot

// Outgoing is a message the bot sends. Text is written in the neutral markup
// (see Escape); the adapter renders it for the platform.
type Outgoing struct {
	Text      string
	Title     string // a heading; Discord shows announcements with a Title as an embed
	ReplyTo   string // message id in the target chat
	Buttons   [][]Button
	Poll      *Poll
	Files     []File
	Pin       bool
	Ephemeral bool // only the caller sees it, where the platform allows (Discord interactions)
	// Mention makes the listed accounts' mentions ping them; everything else
	// (@everyone, roles, other users) never pings.
	Mention []Account
}

// Button is an inline button. Data comes back in an EventButton; URL buttons
// open a link instead.
type Button struct {
	Text string
	Data string
	URL  string
}

// Poll is a native poll.
type Poll struct {
	Question  string
	Options   []string
	Multi     bool
	Anonymous bool
	Duration  int // hours the poll stays open where the platform needs it (Discord); 0 = platform default
}

// File is an attachment: a chart, an export.
type File struct {
	Name string
	MIME string
	Data []byte
}

// Form is a small input form the platform shows in a popup (a Discord
// modal). Its submission comes back as an EventCommand: ID is the command
// line it completes, e.g. "/feedback suggestion", and the field values are
// appended as arguments.
type Form struct {
	ID     string
	Title  string
	Fields []FormField
}

// FormField is one text input of a Form.
type FormField struct {
	ID          string
	Label       string
	Placeholder string
	Long        bool // a paragraph rather than one line
	Required    bool
	MaxLength   int
}
