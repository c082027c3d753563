package analytics

import "time"

// Day is a calendar day, counted in days since 1970-01-01. Which calendar
// day an instant falls on depends on the community's timezone. The zero Day
// means "never" in member facts.
type Day int32

// DayOf returns the calendar day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Date is the day's midnight in UTC, for formatting and weekday arithmetic.
func (d Day) Date() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String writes the day as 2006-01-02.
func (d Day) String() string { return d.Date().Format(time.DateOnly) }

// WeekStart is the Monday of the day's week.
func (d Day) WeekStart() Day {
	wd := int(d.Date().Weekday()+6) % 7 // Monday = 0
	return d - Day(wd)
}
