// Package privacy lets members see and erase what the community keeps about
// them: /mydata sends their data as a JSON file in private, /forgetme
// deletes their personal data after confirmation and keeps only anonymous
// aggregates. Its runner enforces the retention period: once a day (on the
// bot clock) message-derived data older than the community's
// privacy.retention is purged, while counters stay.
package privacy
