package bot

import "strings"

// CSVCell keeps a spreadsheet from reading text that came from chat as a
// formula: cells starting with = + - @ or a control character get a
// leading apostrophe.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
