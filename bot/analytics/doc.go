// Package analytics measures a community: daily counters every feature
// feeds (joins, leaves, messages, commands, tickets, votes, RSVPs,
// redemptions, referrals), unique active members per day and per chat, and
// per-member facts (join day, first message, last activity, VIP) from which
// /stats and the weekly moderator report compute DAU/WAU/MAU, new versus
// churned members, join-cohort retention, the funnel and the lifecycle
// distribution, with a chart.
//
// Counting is cheap: Count and Observe only add to an in-memory buffer; a
// flusher writes the buffer through the store's group-commit writer once a
// second and at shutdown (see BenchmarkCount for why). Nothing is computed by
// scanning members: the store keeps per-day sets and indexes.
//
// Definitions (all days are calendar days in the community's timezone):
//
//   - Active: the member wrote a message, ran a command, pressed a button,
//     voted or reacted that day. Joining alone is not activity.
//   - DAU is the average number of active members per day over the period;
//     WAU and MAU are the members active in the last 7 and 30 days.
//   - New members: members seen joining for the first time (a platform join
//     event); rejoins count in "joined" but not again in "new". Members first
//     seen by a message (for instance present before the bot) belong to no
//     join cohort.
//   - Churned: members whose last sighting (join or activity) fell more than
//     30 days back during the period. Leave events are counted separately
//     as "left".
//   - Retention after N days (1, 7, 30) of a weekly join cohort: the share of
//     its members who were active on any day at least N days after their
//     join day, among those who joined at least N days ago.
//   - Funnel of the members who joined in the period: joined → wrote a first
//     message → active 7 or more days after joining → reached VIP. Each step
//     counts only members who passed the steps before it.
//   - Lifecycle, as of today: new (joined in the last 7 days), active (seen
//     in the last 14 days), dormant (last seen 14 to 30 days ago), churned
//     (last seen more than 30 days ago).
//
// The VIP step is driven by the points area: when a member first reaches a
// VIP tier it calls Bot.CountMember(ctx, community, member, bot.CountVIP, 1).
//
// Subcommands of /stats other features own (such as "sentiment") plug in
// through Options.Subcommands.
package analytics
