// Package sentinel watches community chats for trouble: it scores every
// message's sentiment (English and Chinese, with negation and intensifiers)
// and looks for risk phrases (scam, rug pull, refund, 跑路, 骗, 维权 ...).
//
// A message with risk phrases that count (not negated: "not a scam at
// all" does not; weak words such as "refund" need a tie to the project or a
// negative tone) raises an alert in the community's mod chat with the
// message (escaped, truncated), its author and a link where the platform
// has one. Each risk phrase then cools down for alert_cooldown; mentions
// during the cooldown are counted and reported with the next alert.
//
// Per community and hour the sentinel counts messages and negative
// messages. When the current hour's negative share exceeds the 7-day
// baseline by spike_factor with at least spike_min_negative negative
// messages, moderators get a spike alert (cooldown spike_cooldown).
//
// Only counters and flagged messages are stored, never transcripts.
//
// Lexicons are text files embedded under lexicon/; communities add their
// own through the lexicon config section (files by kind).
//
// /sentiment (moderators) shows the trend. Module.Report is the same
// handler as a bot.CommandFunc, for the analytics module's
// "/stats sentiment": wire it there as the "sentiment" sub-report.
package sentinel
