// Package console is a local group chat in the terminal. Each line typed is
// a message from the current speaker; the bot's replies are printed marked
// with "cohort>". It runs the same Mux, features and store as the real
// platforms, and is the default when no platform token is configured.
//
// Lines the console itself understands:
//
//	/as NAME        speak as NAME (a member)
//	/as NAME mod    speak as NAME, a moderator of the chat
//	/dm TEXT        send TEXT to the bot in private
//	/press DATA     press the button whose data is DATA
//	/vote N [M...]  vote for options N, M of the last poll
package console
