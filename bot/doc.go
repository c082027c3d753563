// Package bot is the platform-neutral core of Cohort.
//
// It defines the model every feature and adapter shares (ChatRef, Account,
// Event, Outgoing), the Adapter interface that connects the bot with a chat
// platform, the Mux that turns "/name args" into a Request and checks who may
// run it, the middleware chain, the Module lifecycle, user-facing errors and
// the message catalog (English and Simplified Chinese).
//
// The package imports no adapter, no store and no platform library.
package bot
