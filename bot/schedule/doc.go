// Package schedule plans a community's communication: announcements posted
// now, at a time or on a cron schedule; native polls on every platform with
// one merged tally; events with RSVPs, a waitlist, reminders and check-in;
// and surveys answered in private chat, including a ready CSAT and NPS
// satisfaction survey.
//
// Everything that happens later goes through one job engine (see Tick). The
// four areas live in one package because they share the engine, the time and
// cron grammar, the target resolution and the delivery log; splitting them
// would mean either duplicating that machinery or importing one feature
// from another, which the design forbids.
//
// Delivery semantics: every scheduled send to a chat is recorded under the
// idempotency key (job, scheduled run, chat). The "sending" intent is
// committed before the message goes out and the outcome after it, and an
// intent found without an outcome is never resent. Announcements are thus
// delivered at most once: a crash between the send and the record loses the
// record, never duplicates the post.
//
// Announcement text is written by moderators, who may use the neutral markup
// (*bold*, _italic_, `code`, [links](https://...)): the markup parser only
// renders http, https and tg links and never pings anyone. Poll questions,
// event titles and survey answers are shown as plain text (escaped).
//
// All time comes from the bot's clock (bot.Bot.Now), so tests drive the
// engine by moving a fake clock and calling Tick.
package schedule
