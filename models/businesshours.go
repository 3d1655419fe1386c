package models

import (
	"fmt"
	"slices"
	"sync"
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

// Calendar is BusinessHours ready for arithmetic. Its working windows are
// worked out once per day and summed up, so that the business time between
// two moments costs the same for an hour and for a year: a list computes
// thousands of clocks over the same weeks. A Calendar may be used by
// several goroutines.
type Calendar struct {
	loc        *time.Location
	days       [7]bool
	start, end int // minutes after local midnight
	holidays   map[Date]bool
	cache      *dayCache
}

// dayCache holds the working window of each local day in [base,
// base+len(win)) and the running sum of their lengths: sum[i] is the
// business time of the days before base+i.
type dayCache struct {
	mu   sync.Mutex
	base int
	win  []window
	sum  []time.Duration
}

type window struct{ from, to time.Time } // equal on a day off

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
	c := Calendar{holidays: make(map[Date]bool, len(b.Holidays)), cache: &dayCache{}}
	if len(b.Days) == 0 {
		p.Add("days", WorkDaysEmpty)
	}
	for _, d := range b.Days {
		if d < time.Sunday || d > time.Saturday {
			p.Add("days", WorkDaysInvalid)
			continue
		}
		c.days[d] = true
	}
	var okS, okE bool
	c.start, okS = parseClock(b.Start)
	c.end, okE = parseClock(b.End)
	if !okS {
		p.Add("start", StartFormat)
	}
	if !okE {
		p.Add("end", EndFormat)
	}
	if okS && okE && c.end <= c.start {
		p.Add("end", EndBeforeStart)
	}
	loc, err := time.LoadLocation(b.TimeZone)
	if err != nil || b.TimeZone == "" || b.TimeZone == "Local" {
		p.Add("time_zone", TimeZoneChoice)
	}
	c.loc = loc
	if len(b.Holidays) > HolidaysMax {
		p.Add("holidays", HolidaysTooMany, HolidaysMax)
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

// window returns the working hours of a local day (n days after
// 1970-01-01) as absolute times. time.Date resolves the hours through
// daylight-saving changes, so a window across a change is an hour shorter
// or longer, as the clock is.
func (c Calendar) window(n int) window {
	y, m, d := time.Date(1970, 1, 1+n, 0, 0, 0, 0, time.UTC).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, c.loc)
	if !c.days[day.Weekday()] || c.holidays[Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}] {
		return window{day, day}
	}
	return window{time.Date(y, m, d, c.start/60, c.start%60, 0, 0, c.loc), time.Date(y, m, d, c.end/60, c.end%60, 0, 0, c.loc)}
}

// dayOf returns the local day of t, counted from 1970-01-01.
func (c Calendar) dayOf(t time.Time) int {
	y, m, d := t.In(c.loc).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// covering returns the windows and running sums covering the local days lo to
// hi, and the index of day lo in them. The cache only grows.
func (c Calendar) covering(lo, hi int) (win []window, sum []time.Duration, at int) {
	k := c.cache
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.win) == 0 || lo < k.base || hi >= k.base+len(k.win) {
		from, to := lo, hi+1
		if len(k.win) > 0 {
			from, to = min(lo, k.base), max(hi+1, k.base+len(k.win))
		}
		win := make([]window, to-from)
		sum := make([]time.Duration, to-from+1)
		for i := range win {
			if j := from + i - k.base; len(k.win) > 0 && j >= 0 && j < len(k.win) {
				win[i] = k.win[j]
			} else {
				win[i] = c.window(from + i)
			}
			sum[i+1] = sum[i] + win[i].to.Sub(win[i].from)
		}
		k.base, k.win, k.sum = from, win, sum
	}
	return k.win, k.sum, lo - k.base
}

// maxDays bounds Add, so a calendar with hardly any working time cannot
// look far: ten years of days.
const maxDays = 3660

// Between returns the business time in [from, to); zero when to is not
// after from.
func (c Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	first, last := c.dayOf(from), c.dayOf(to)
	win, sum, i := c.covering(first, last)
	j := i + last - first
	if i == j {
		return overlap(from, to, win[i].from, win[i].to)
	}
	return overlap(from, to, win[i].from, win[i].to) + sum[j] - sum[i+1] + overlap(from, to, win[j].from, win[j].to)
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
	first := c.dayOf(from)
	win, _, i := c.covering(first, first)
	w, skip := win[i], 0
	if from.Before(w.to) {
		// Count from the start of the first day's hours.
		d += min(max(from.Sub(w.from), 0), w.to.Sub(w.from))
	} else {
		skip = 1 // its hours are over
	}
	for span := 32; ; span *= 4 {
		span = min(span, maxDays)
		win, sum, i := c.covering(first, first+span)
		base := sum[i+skip]
		for k := i + skip; k <= i+span; k++ {
			if win[k].to.After(win[k].from) && sum[k+1]-base >= d {
				return win[k].from.Add(d - (sum[k] - base))
			}
		}
		if span == maxDays {
			return from.Add(maxDays * 24 * time.Hour)
		}
	}
}
