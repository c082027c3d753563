package points

import "github.com/cohortbot/cohort/bot"

// Commands are /points, /top, /award, /deduct, /tier, /badge, /shop,
// /redeem, /invite, /link and /unlink.
func (m *Module) Commands() []bot.Command {
	member := bot.Arg{Name: "member", Kind: bot.ArgUser}
	return []bot.Command{
		{Name: "points", Args: []bot.Arg{member}, Run: m.runPoints},
		{Name: "top", Aliases: []string{"leaderboard"}, Args: []bot.Arg{{Name: "window", Kind: bot.ArgString, Choices: []string{ScopeWeek, ScopeMonth, ScopeAll}}}, Run: m.runTop},
		{Name: "award", Role: bot.RoleModerator, Args: []bot.Arg{member, {Name: "amount", Kind: bot.ArgInt, Required: true}, {Name: "reason", Kind: bot.ArgText, Required: true}}, Run: m.runAward},
		{Name: "deduct", Role: bot.RoleModerator, Args: []bot.Arg{member, {Name: "amount", Kind: bot.ArgInt, Required: true}, {Name: "reason", Kind: bot.ArgText, Required: true}}, Run: m.runDeduct},
		{Name: "tier", Role: bot.RoleModerator, Args: []bot.Arg{member, {Name: "tier", Kind: bot.ArgText}}, Run: m.runTier},
		{Name: "badge", Role: bot.RoleModerator, Args: []bot.Arg{{Name: "action", Kind: bot.ArgString, Required: true, Choices: []string{"grant", "revoke"}}, member, {Name: "badge", Kind: bot.ArgText, Required: true}}, Run: m.runBadge},
		{Name: "shop", Run: m.runShop},
		{Name: "redeem", Args: []bot.Arg{{Name: "item", Kind: bot.ArgString, Required: true}}, Run: m.runRedeem},
		{Name: "invite", Run: m.runInvite},
		{Name: "link", Args: []bot.Arg{{Name: "code", Kind: bot.ArgString}}, Run: m.runLink},
		{Name: "unlink", Role: bot.RoleModerator, Args: []bot.Arg{{Name: "account", Kind: bot.ArgString, Required: true}}, Run: m.runUnlink},
	}
}

// Buttons handle the fulfil and refund buttons of shop requests.
func (m *Module) Buttons() []bot.ButtonRoute {
	return []bot.ButtonRoute{{Prefix: "shop", Role: bot.RoleModerator, Run: m.pressShop}}
}
