package privacy

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
)

//go:embed locales/*.yaml
var locales embed.FS

// Store exports and erases a member's data across every feature.
type Store interface {
	// ExportMember returns everything stored about the member, by feature.
	ExportMember(ctx context.Context, community string, member bot.MemberID) (map[string]any, error)
	// ForgetMember deletes the member's personal data (accounts, names,
	// texts), anonymizes what must stay for the community's totals, and
	// leaves no trace of it in the database file.
	ForgetMember(ctx context.Context, community string, member bot.MemberID) error
	// PurgeBefore deletes message-derived data older than the cutoff of
	// its community and reports what it removed. Counters stay.
	PurgeBefore(ctx context.Context, cutoff func(community string) time.Time) (Purged, error)
}

// Purged counts the records a retention run removed or emptied, by kind
// (e.g. "flagged_messages", "ticket_texts").
type Purged map[string]int

// Total is the number of records purged.
func (p Purged) Total() int {
	n := 0
	for _, v := range p {
		n += v
	}
	return n
}

// Module offers /mydata and /forgetme, and purges message-derived data
// once it is older than the community's retention.
type Module struct {
	store    Store
	settings bot.Settings[Config]

	// mu guards next, the bot-clock time of the next retention run.
	mu   sync.Mutex
	next time.Time
}

// New returns the privacy module. cfgs holds the settings of configured
// communities by community id; def applies to every other community. Every
// setting is validated.
func New(st Store, cfgs map[string]Config, def Config) (*Module, error) {
	if st == nil {
		return nil, fmt.Errorf("privacy: a store is required")
	}
	settings, err := bot.MapSettings(bot.NewSettings(cfgs, def), func(_ string, c Config) (Config, error) { return c, c.Validate() })
	if err != nil {
		return nil, err
	}
	return &Module{store: st, settings: settings}, nil
}

// Name is "privacy".
func (m *Module) Name() string { return "privacy" }

// Locales is the module's catalog.
func (m *Module) Locales() fs.FS { sub, _ := fs.Sub(locales, "locales"); return sub }

// Commands are /mydata and /forgetme.
func (m *Module) Commands() []bot.Command {
	return []bot.Command{
		{Name: "mydata", Run: m.myData, Slow: true},
		{Name: "forgetme", Run: m.forgetMe},
	}
}

// Buttons confirm or cancel /forgetme.
func (m *Module) Buttons() []bot.ButtonRoute {
	return []bot.ButtonRoute{{Prefix: "forget", Run: m.confirm}}
}

// export is the file /mydata sends.
type export struct {
	Community string         `json:"community"`
	Member    bot.MemberID   `json:"member"`
	Exported  time.Time      `json:"exported"`
	Data      map[string]any `json:"data"`
}

func (m *Module) myData(ctx context.Context, req *bot.Request) error {
	data, err := m.store.ExportMember(ctx, req.Community.ID, req.Member)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(export{Community: req.Community.ID, Member: req.Member, Exported: req.Now().UTC(), Data: data}, "", "  ")
	if err != nil {
		return err
	}
	member, _, err := req.Bot.Members().Member(ctx, req.Community.ID, req.Member)
	if err != nil {
		return err
	}
	if len(member.Accounts) == 0 {
		member.Accounts = []bot.Account{req.Event.From}
	}
	file := bot.File{Name: "cohort-mydata.json", MIME: "application/json", Data: body}
	// Send to the account that asked first, so the file arrives where the member is.
	accounts := []bot.Account{req.Event.From}
	for _, a := range member.Accounts {
		if a.Key() != req.Event.From.Key() {
			accounts = append(accounts, a)
		}
	}
	member.Accounts = accounts
	if _, err := req.Bot.SendMember(ctx, member, bot.Outgoing{Text: req.T("mydata.file", nil), Files: []bot.File{file}}); err != nil {
		if errors.Is(err, bot.ErrCannotDM) {
			return bot.Errorf("error.cannot_dm", nil)
		}
		return err
	}
	if req.Event.Private {
		return nil
	}
	return req.ReplyText(ctx, "mydata.sent", nil)
}

func (m *Module) forgetMe(ctx context.Context, req *bot.Request) error {
	_, err := req.Reply(ctx, bot.Outgoing{
		Text:      req.T("forgetme.confirm", nil),
		Ephemeral: true,
		Buttons: [][]bot.Button{{
			{Text: req.T("forgetme.yes", nil), Data: "forget:yes:" + string(req.Member)},
			{Text: req.T("forgetme.no", nil), Data: "forget:no:" + string(req.Member)},
		}},
	})
	return err
}

// confirm runs the erasure when the member who asked presses "yes".
func (m *Module) confirm(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 2 || bot.MemberID(req.Args[1]) != req.Member {
		return bot.Errorf("error.forbidden_button", nil)
	}
	if req.Args[0] != "yes" {
		return req.ReplyText(ctx, "forgetme.cancelled", nil)
	}
	if err := m.store.ForgetMember(ctx, req.Community.ID, req.Member); err != nil {
		return err
	}
	log := req.Bot.Log()
	log.Info().Str("community", req.Community.ID).Msg("member data erased on request")
	return req.ReplyText(ctx, "forgetme.done", nil)
}

var (
	_ bot.Commander     = (*Module)(nil)
	_ bot.ButtonHandler = (*Module)(nil)
	_ bot.Localized     = (*Module)(nil)
	_ bot.Runner        = (*Module)(nil)
)
