// Package match finds the FAQ entry a member's question is about.
//
// It is a small, pure-Go retrieval engine tuned for short questions in
// English, Simplified Chinese and a mix of both:
//
//   - English is lower-cased, split on anything that is not a letter or a
//     digit, stripped of stop words and reduced by a light suffix stemmer
//     ("investing", "invested", "investments" all become "invest"). A word
//     the index does not know is matched to a known word one or two edits
//     away, so small typos in short queries still find their entry.
//   - Chinese has no spaces: runs of Han characters are cut at question and
//     function words (怎么, 如何, 的, 吗, ...) and indexed as overlapping
//     character bigrams plus single characters, which needs no dictionary
//     and copes with words the author never thought of.
//
// Each entry is scored against the query phrasing by phrasing (its question
// and every variant) with IDF weights: how much of the query the phrasing
// covers and how much of the phrasing the query covers. Scores are in [0, 1],
// so callers can apply a confidence threshold.
package match
