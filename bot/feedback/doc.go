// Package feedback is the feedback desk: members open tickets (suggestions,
// questions, complaints, bug reports and appeals) with /feedback or by
// writing to the bot privately; tickets are relayed to the community's
// moderator chat on whichever platform it is; moderators claim, answer and
// resolve them; members rate the answer.
//
// Intake. "/feedback CATEGORY [--anon] TEXT" opens a ticket at once.
// "/feedback TEXT" without a category, and any plain (non-command) private
// message to the bot when private_intake is on, saves a draft and offers the
// categories as buttons: pressing one opens the ticket. The button is the
// member's confirmation, so a stray private message never reaches
// moderators by accident. A private message sent while a rated ticket waits
// for its optional comment (comment_window) is taken as that comment
// instead.
//
// Anonymous tickets ("--anon", or "anon"/"匿名" as the first word) are
// relayed, listed and shown without the member's name or account; answers
// still reach the member because the store keeps the member id, which only
// the bot reads.
//
// Answers. "/reply ID TEXT", or a moderator replying to the relayed message
// in the moderator chat, sends the answer to the member by direct message;
// when the platform refuses the DM, the answer is posted in the chat the
// ticket came from (anonymous tickets: without naming anyone). Moderators'
// names and notes are never shown to the member.
//
// States: draft → open → claimed → resolved. Open tickets that nobody
// claims are announced again after reannounce_after (see Module.Tick).
// On resolve the member is asked for a 1–5 rating. Accepted suggestions earn
// points through bot.RuleFeedback.
package feedback
