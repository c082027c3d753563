// Package telegramtest is a fake Telegram Bot API server for tests, written
// from the public Bot API documentation (https://core.telegram.org/bots/api).
//
// It speaks the real protocol over HTTP: POST /bot<token>/<method> with
// multipart, url-encoded or JSON parameters, answering
// {"ok":true,"result":...} or {"ok":false,"error_code":N,"description":...,
// "parameters":{...}}. It long-polls getUpdates with offset, limit, timeout
// and allowed_updates semantics, keeps per-chat message ids and member
// state, parses HTML parse mode into text and entities like Telegram does,
// records every call, and lets a test inject updates and errors.
package telegramtest
