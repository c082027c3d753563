// Package privacy lets members see and erase what the community keeps about
// them: /mydata sends their data as a JSON file in private, /forgetme
// deletes their personal data after confirmation and keeps only anonymous
// aggregates.
package privacy
