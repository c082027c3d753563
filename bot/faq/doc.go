// Package faq answers members' questions from a community FAQ, in English
// and Chinese, and learns what it cannot answer.
//
// Entries come from the community's faq_file (a YAML list of question,
// variants, answer, tags) and from moderators in chat (/faqadmin add, edit,
// remove). /faq lists the topics or answers a question with the best entry;
// in groups, messages that read as questions can be answered automatically.
// Questions without a confident answer are counted so moderators can see
// what is missing (/faqadmin unanswered). Matching is done by package match.
package faq
