package bot

import "fmt"

// UserError is an error meant for the user: its message is a catalog key,
// shown translated into the user's language. Any other error a handler
// returns is logged and the user sees a short apology.
type UserError struct {
	Key  string
	Data Args
}

// Error returns the key, for logs.
func (e *UserError) Error() string { return fmt.Sprintf("user error %s %v", e.Key, e.Data) }

// Errorf returns a UserError for a catalog key.
func Errorf(key string, data Args) error { return &UserError{Key: key, Data: data} }

// Args are the values a catalog message refers to as {{.name}}. Strings are
// escaped for the neutral markup unless they are of type Raw.
type Args map[string]any

// Raw is markup that is inserted into a message unescaped.
type Raw string
