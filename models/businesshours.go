package models

import (
	"fmt"
	"slices"
	"time"
)

// BusinessHours are when the agency works: the days of the week, the hours
// of each working day, in one time zone, minus holidays. SLA targets count
// only this time, so a request filed on Friday evening is not late on
// Monday morning.
type BusinessHours struct {
	Days     []time.Weekday `json:"days"`
	Start    string         `json:"start"`     // "09:00", local time
	End      string         `json:"end"`       // "17:00", local time, after Start
	TimeZone string         `json:"time_zone"` // IANA, e.g. "Europe/Warsaw"
	Holidays []Date         `json:"holidays"`
}

// DefaultBusinessHours apply until an admin sets the agency's own.
var DefaultBusinessHours = BusinessHours{
	Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	Start: "09:00", End: "17:00", TimeZone: "UTC", Holidays: []Date{},
}

// HolidaysMax bounds the holiday list (a few years ahead).
const HolidaysMax = 200

// Calendar is BusinessHours ready for arithmetic.
type Calendar struct {
	loc        *time.Location
	days       [7]bool
	start, end int // minutes after local midnight
	holidays   map[Date]bool
}

// parseClock reads "HH:MM" as minutes after midnight; "24:00" ends a day.
func parseClock(s string) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// Calendar checks the hours and compiles them. Problems name the field.
func (b BusinessHours) Calendar() (Calendar, error) {
	p := Problems{}
	c := Calendar{holidays: make(map[Date]bool, len(b.Holidays))}
	if len(b.Days) == 0 {
		p.Add("days", "Choose at least one working day.")
	}
	for _, d := range b.Days {
		if d < time.Sunday || d > time.Saturday {
			p.Add("days", "Choose days from 0 (Sunday) to 6 (Saturday).")
			continue
		}
		c.days[d] = true
	}
	var okS, okE bool
	c.start, okS = parseClock(b.Start)
	c.end, okE = parseClock(b.End)
	if !okS {
		p.Add("start", "Enter a time like 09:00.")
	}
	if !okE {
		p.Add("end", "Enter a time like 17:00.")
	}
	if okS && okE && c.end <= c.start {
		p.Add("end", "Choose an end time after the start time.")
	}
	loc, err := time.LoadLocation(b.TimeZone)
	if err != nil || b.TimeZone == "" || b.TimeZone == "Local" {
		p.Add("time_zone", "Choose a time zone like Europe/Warsaw.")
	}
	c.loc = loc
	if len(b.Holidays) > HolidaysMax {
		p.Add("holidays", fmt.Sprintf("List at most %d holidays.", HolidaysMax))
	}
	for _, d := range b.Holidays {
		c.holidays[Date{time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)}] = true
	}
	if err := p.Err(); err != nil {
		return Calendar{}, err
	}
	return c, nil
}

// Clean returns the hours in canonical form: days in order without
// repeats, holidays sorted without repeats.
func (b BusinessHours) Clean() BusinessHours {
	b.Days = slices.Clone(b.Days)
	slices.Sort(b.Days)
	b.Days = slices.Compact(b.Days)
	b.Holidays = slices.Clone(b.Holidays)
	if b.Holidays == nil {
		b.Holidays = []Date{}
	}
	slices.SortFunc(b.Holidays, func(x, y Date) int { return x.Compare(y.Time) })
	b.Holidays = slices.CompactFunc(b.Holidays, func(x, y Date) bool { return x.Equal(y.Time) })
	return b
}

// window returns the working hours of the local day that starts at
// midnight (its date in y, m, d) as absolute times; ok is false on a day
// off. time.Date resolves the hours through daylight-saving changes, so a
// window across a change is an hour shorter or longer, as the clock is.
func (c Calendar) window(y int, m time.Month, d int) (from, to time.Time, ok bool) {
	day := time.Date(y, m, d, 0, 0, 0, 0, c.loc)
	if !c.days[day.Weekday()] || c.holidays[Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}] {
		return day, day, false
	}
	from = time.Date(y, m, d, c.start/60, c.start%60, 0, 0, c.loc)
	to = time.Date(y, m, d, c.end/60, c.end%60, 0, 0, c.loc)
	return from, to, true
}

// maxDays bounds the walks below, so a calendar with hardly any working
// time cannot loop for long: ten years of days.
const maxDays = 3660

// Between returns the business time in [from, to); zero when to is not
// after from.
func (c Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	var sum time.Duration
	l := from.In(c.loc)
	y, m, d := l.Date()
	for i := 0; i < maxDays; i++ {
		ws, we, ok := c.window(y, m, d+i)
		if !ws.Before(to) {
			break
		}
		if ok {
			sum += overlap(from, to, ws, we)
		}
	}
	return sum
}

func overlap(a0, a1, b0, b1 time.Time) time.Duration {
	lo, hi := a0, a1
	if b0.After(lo) {
		lo = b0
	}
	if b1.Before(hi) {
		hi = b1
	}
	if !hi.After(lo) {
		return 0
	}
	return hi.Sub(lo)
}

// Add returns the moment when d of business time will have passed after
// from: the deadline of a clock that keeps running.
func (c Calendar) Add(from time.Time, d time.Duration) time.Time {
	l := from.In(c.loc)
	y, m, day := l.Date()
	for i := 0; i < maxDays; i++ {
		ws, we, ok := c.window(y, m, day+i)
		if !ok || !we.After(from) {
			continue
		}
		if ws.Before(from) {
			ws = from
		}
		left := we.Sub(ws)
		if d <= left {
			return ws.Add(d)
		}
		d -= left
	}
	return from.Add(maxDays * 24 * time.Hour)
}
