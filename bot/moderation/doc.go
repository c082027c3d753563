// Package moderation keeps community chats clean: /rules, a welcome message
// for new members, automatic rules (flood, duplicate spam, links from new
// members, banned words in English and Chinese, mass mentions), moderator
// commands (/warn /mute /unmute /ban /unban) and a warn ladder that turns
// repeated warnings into mutes or bans.
//
// An automatic rule deletes the offending message, warns the member in the
// chat and records the warning; the ladder then decides whether the member
// is muted or banned. Moderators and admins are never checked. Every action
// is stored and posted to the community's moderation log (its mod chat).
// Platform actions go through the adapters' optional capabilities
// (bot.Deleter, bot.Muter, bot.Banner); a platform without one is reported
// to the moderator, never a crash.
//
// With apply_linked on, mutes and bans reach every account of the member
// (bot.Member.Accounts) in the community's chats on each account's platform;
// otherwise only the account that broke the rule, or for commands the
// member's account on the platform the command was typed on.
//
// Appeals go through the feedback desk: "/feedback appeal ...".
package moderation
