// Package points is Cohort's incentive system: one ledger per community
// across Telegram and Discord. Members earn points for taking part
// (messages within a cooldown and a daily cap, a daily streak bonus, poll
// votes, check-ins, accepted feedback, surveys and referrals), climb a tier
// ladder, collect badges, spend points in the rewards shop and link their
// accounts on several platforms into one member.
//
// Every change is a ledger Entry written by the store in the same
// transaction as the member's State and the rank indexes, so /top never
// scans members and every reply that shows a balance shows committed data.
// The rules live here; the store runs them inside its group-commit writer
// through Store.Apply and only persists and indexes what they decide.
package points
