package models

import (
	"sort"
	"time"
)

// PackageKind says how a package of prepaid hours grants its hours.
type PackageKind string

const (
	// PackageRetainer grants its hours afresh each calendar month it runs.
	PackageRetainer PackageKind = "retainer"
	// PackageBlock grants its hours once, for its whole life.
	PackageBlock PackageKind = "block"
)

// PackageKinds lists the kinds, in the order the form offers them.
var PackageKinds = []PackageKind{PackageRetainer, PackageBlock}

// Limits of a package.
const (
	PackageNameMax = 200
	// PackageHoursMax bounds the hours of a package: ten thousand hours is
	// five people for a year, anything beyond is a typing slip.
	PackageHoursMax = 10_000
)

// HourPackage is hours a client bought in advance: a monthly retainer or a
// one-off block. It draws from the day StartsOn to EndsOn, both counted (no
// end: it runs until ended). A retainer grants its full Minutes in every
// calendar month it runs in, also the first; with Rollover the hours left
// at a month's end are added to the next month's.
type HourPackage struct {
	ID        int64       `gorm:"column:id;primaryKey" json:"id"`
	ClientID  int64       `gorm:"column:client_id" json:"client_id"`
	Kind      PackageKind `gorm:"column:kind" json:"kind"`
	Name      string      `gorm:"column:name" json:"name"`
	Minutes   int         `gorm:"column:minutes" json:"minutes"`
	Rollover  bool        `gorm:"column:rollover" json:"rollover"`
	StartsOn  Date        `gorm:"column:starts_on" json:"starts_on"`
	EndsOn    *Date       `gorm:"column:ends_on" json:"ends_on"`
	CreatedAt time.Time   `gorm:"column:created_at" json:"created_at"`
	UpdatedAt time.Time   `gorm:"column:updated_at" json:"updated_at"`
}

// TableName is the package's table.
func (HourPackage) TableName() string { return "hour_packages" }

// Check records every problem of the package under the request's field
// names, and trims its name.
func (pk *HourPackage) Check(p Problems) {
	if pk.Kind != PackageRetainer && pk.Kind != PackageBlock {
		p.Add("kind", PackageKindChoice)
	}
	pk.Name = CleanText(p, "name", pk.Name, PackageNameMax)
	if pk.Minutes < 60 || pk.Minutes > PackageHoursMax*60 {
		p.Add("minutes", PackageHoursRange, PackageHoursMax)
	}
	if pk.Rollover && pk.Kind == PackageBlock {
		p.Add("rollover", PackageRolloverBlock)
	}
	if pk.StartsOn.IsZero() {
		p.Add("starts_on", PackageStartRequired)
	}
	if pk.EndsOn != nil && pk.EndsOn.Before(pk.StartsOn.Time) {
		p.Add("ends_on", PeriodOrder)
	}
}

// runsOn reports whether the package draws on day.
func (pk HourPackage) runsOn(day Date) bool {
	return !day.Before(pk.StartsOn.Time) && (pk.EndsOn == nil || !day.After(pk.EndsOn.Time))
}

// runsIn reports whether the package runs on any day of the month m
// (months counted as year*12 + month-1).
func (pk HourPackage) runsIn(m int) bool {
	first := monthIndex(pk.StartsOn)
	return m >= first && (pk.EndsOn == nil || m <= monthIndex(*pk.EndsOn))
}

func monthIndex(d Date) int { return d.Year()*12 + int(d.Month()) - 1 }

// BillableTime is a finished billable time entry of the client's: when it
// started, its minutes and its project (whose rate prices any overrun).
type BillableTime struct {
	StartedAt time.Time `gorm:"column:started_at"`
	Minutes   int       `gorm:"column:minutes"`
	ProjectID int64     `gorm:"column:project_id"`
}

// PackageUse is one package in a balance. Granted and Left are its
// current window as of the end of the period: the month of To for a
// retainer (with what rolled over), the whole package for a block. Used is
// what the period's time drew from it, LeftBefore what was left at the end
// of the day before the period.
type PackageUse struct {
	HourPackage
	GrantedMinutes    int `json:"granted_minutes"`
	UsedMinutes       int `json:"used_minutes"`
	LeftMinutes       int `json:"left_minutes"`
	LeftBeforeMinutes int `json:"left_before_minutes"`
}

// ProjectMinutes is minutes of one project.
type ProjectMinutes struct {
	ProjectID int64 `json:"project_id"`
	Minutes   int   `json:"minutes"`
}

// Balance is a client's packages over a period: each package that runs in
// it, and the period's overrun, time no package covered, per project so
// that each is priced at its own rate.
type Balance struct {
	From           Date             `json:"from"`
	To             Date             `json:"to"`
	Packages       []PackageUse     `json:"packages"`
	OverrunMinutes int              `json:"overrun_minutes"`
	Overrun        []ProjectMinutes `json:"overrun"`
}

// Burn draws the billable time from the packages and returns the balance
// of the period from..to (both days counted). Every minute counts on the
// day it was worked in loc, the agency's zone (an entry across midnight is
// split), and draws from the packages running that day, the oldest (by
// start, then ID) first; what none of them covers is overrun. Time before
// the period is drawn too, so the balance as of any date comes out right:
// pass every entry since the oldest package started (entries after To are
// ignored).
func Burn(packages []HourPackage, entries []BillableTime, from, to Date, loc *time.Location) Balance {
	pkgs := append([]HourPackage(nil), packages...)
	sort.SliceStable(pkgs, func(i, j int) bool {
		if !pkgs[i].StartsOn.Equal(pkgs[j].StartsOn.Time) {
			return pkgs[i].StartsOn.Before(pkgs[j].StartsOn.Time)
		}
		return pkgs[i].ID < pkgs[j].ID
	})
	type dayTime struct {
		day     Date
		project int64
		minutes int
	}
	var days []dayTime
	for _, e := range entries {
		for _, d := range SplitByDay(e.StartedAt, e.Minutes, loc) {
			if !d.Day.After(to.Time) && d.Minutes > 0 {
				days = append(days, dayTime{d.Day, e.ProjectID, d.Minutes})
			}
		}
	}
	sort.SliceStable(days, func(i, j int) bool { return days[i].day.Before(days[j].day.Time) })

	use := make([]PackageUse, len(pkgs))
	month := make([]int, len(pkgs)) // the month of each package's open window; -1 before its first
	for i, pk := range pkgs {
		use[i].HourPackage = pk
		month[i] = -1
	}
	// advance opens the packages' windows up to day: a block's once it has
	// started, each month of a retainer's up to day's.
	advance := func(day Date) {
		m := monthIndex(day)
		for i, pk := range pkgs {
			if pk.Kind == PackageBlock {
				if month[i] < 0 && !day.Before(pk.StartsOn.Time) {
					month[i] = m
					use[i].GrantedMinutes, use[i].LeftMinutes = pk.Minutes, pk.Minutes
				}
				continue
			}
			for month[i] < m {
				month[i] = max(month[i]+1, monthIndex(pk.StartsOn))
				if month[i] > m || !pk.runsIn(month[i]) {
					month[i] = m
					break
				}
				carry := 0
				if pk.Rollover {
					carry = use[i].LeftMinutes
				}
				use[i].GrantedMinutes = pk.Minutes + carry
				use[i].LeftMinutes = use[i].GrantedMinutes
			}
		}
	}
	overrun := map[int64]int{}
	before := true
	snapshot := func() {
		before = false
		advance(Date{from.AddDate(0, 0, -1)})
		for i := range use {
			use[i].LeftBeforeMinutes = use[i].LeftMinutes
		}
	}
	for _, d := range days {
		if before && !d.day.Before(from.Time) {
			snapshot()
		}
		advance(d.day)
		left := d.minutes
		for i, pk := range pkgs {
			if left == 0 {
				break
			}
			if !pk.runsOn(d.day) || use[i].LeftMinutes == 0 {
				continue
			}
			take := min(left, use[i].LeftMinutes)
			use[i].LeftMinutes -= take
			left -= take
			if !before {
				use[i].UsedMinutes += take
			}
		}
		if !before && left > 0 {
			overrun[d.project] += left
		}
	}
	if before {
		snapshot()
	}
	advance(to)

	b := Balance{From: from, To: to, Packages: []PackageUse{}, Overrun: []ProjectMinutes{}}
	for i, pk := range pkgs {
		if pk.StartsOn.After(to.Time) || pk.EndsOn != nil && pk.EndsOn.Before(from.Time) {
			continue
		}
		b.Packages = append(b.Packages, use[i])
	}
	for id, m := range overrun {
		b.Overrun = append(b.Overrun, ProjectMinutes{id, m})
		b.OverrunMinutes += m
	}
	sort.Slice(b.Overrun, func(i, j int) bool { return b.Overrun[i].ProjectID < b.Overrun[j].ProjectID })
	return b
}

// OverrunCents prices the overrun at each project's rate, in minor units
// of the client's currency, rounded to the nearest unit per project.
func (b Balance) OverrunCents(r Rates) int64 {
	var sum int64
	for _, o := range b.Overrun {
		sum += Amount(o.Minutes, r.Rate(o.ProjectID))
	}
	return sum
}

// Amount is minutes at an hourly rate in cents, rounded to the nearest
// cent.
func Amount(minutes int, rateCents int64) int64 {
	return (int64(minutes)*rateCents + 30) / 60
}

// Notice levels: a package's people are told once per period when its
// current window is used this far, in percent.
var PackageNoticeLevels = []int{80, 100}

// UsedPercent is how much of the current window is used, in whole percent
// rounded down (so 80 means at least 80 %); an empty window is 0.
func (u PackageUse) UsedPercent() int {
	if u.GrantedMinutes <= 0 {
		return 0
	}
	return (u.GrantedMinutes - u.LeftMinutes) * 100 / u.GrantedMinutes
}

// Reached lists the notice levels the current window has reached.
func (u PackageUse) Reached() []int {
	var out []int
	for _, l := range PackageNoticeLevels {
		if u.UsedPercent() >= l {
			out = append(out, l)
		}
	}
	return out
}

// Period is the first day of the package's window as of day: the month's
// first day for a retainer, its start for a block. Each notice is sent
// once per package, level and period.
func (pk HourPackage) Period(day Date) Date {
	if pk.Kind == PackageRetainer {
		return Date{time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)}
	}
	return pk.StartsOn
}

// NoticeScope is what the balance as of day needs, so that a time write
// reads the current windows' time and not the client's whole history: the
// packages that may still draw from time on or after since, and since, the
// earliest day whose time counts. A retainer without rollover starts
// afresh each month; a block or a rolling retainer counts from its start.
// A package that ended on or after since takes time before the others, so
// it widens the scope in turn.
func NoticeScope(pkgs []HourPackage, day Date) (since Date, scope []HourPackage) {
	month := Date{time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)}
	since = day
	for {
		scope = scope[:0]
		widest := since
		for _, pk := range pkgs {
			if pk.StartsOn.After(day.Time) || pk.EndsOn != nil && pk.EndsOn.Before(since.Time) {
				continue
			}
			scope = append(scope, pk)
			from := pk.StartsOn
			if pk.Kind == PackageRetainer && !pk.Rollover && from.Before(month.Time) {
				from = month
			}
			if from.Before(widest.Time) {
				widest = from
			}
		}
		if !widest.Before(since.Time) {
			return since, scope
		}
		since = widest
	}
}
