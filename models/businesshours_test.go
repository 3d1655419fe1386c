package models

import (
	"errors"
	"testing"
	"time"
)

func calendar(t *testing.T, b BusinessHours) Calendar {
	t.Helper()
	c, err := b.Calendar()
	if err != nil {
		t.Fatalf("calendar %+v: %v", b, err)
	}
	return c
}

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func TestBusinessBetween(t *testing.T) {
	t.Parallel()
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	office := BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "Europe/Warsaw"}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, warsaw) }
	// 2026-11-27 is a Friday; 2026-11-30 a Monday.
	tests := []struct {
		name     string
		hours    BusinessHours
		from, to time.Time
		want     time.Duration
	}{
		{"within one day", office, at(2026, 11, 30, 10, 0), at(2026, 11, 30, 12, 30), 150 * time.Minute},
		{"before opening counts from opening", office, at(2026, 11, 30, 6, 0), at(2026, 11, 30, 10, 0), time.Hour},
		{"filed in the evening counts from next morning", office, at(2026, 11, 30, 20, 0), at(2026, 12, 1, 9, 45), 45 * time.Minute},
		{"over the weekend", office, at(2026, 11, 27, 16, 0), at(2026, 11, 30, 10, 0), 2 * time.Hour},
		{"filed on Saturday", office, at(2026, 11, 28, 11, 0), at(2026, 11, 30, 11, 0), 2 * time.Hour},
		{"whole weekend is nothing", office, at(2026, 11, 28, 0, 0), at(2026, 11, 30, 0, 0), 0},
		{"a holiday is skipped", BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "Europe/Warsaw", Holidays: []Date{day("2026-12-24"), day("2026-12-25")}},
			at(2026, 12, 23, 16, 0), at(2026, 12, 28, 10, 0), 2 * time.Hour},
		{"many days", office, at(2026, 11, 2, 9, 0), at(2026, 12, 1, 9, 0), 21 * 8 * time.Hour},
		{"end before start", office, at(2026, 11, 30, 12, 0), at(2026, 11, 30, 10, 0), 0},
		{"in another zone the office day is elsewhere", BusinessHours{Days: weekdays, Start: "09:00", End: "18:00", TimeZone: "Asia/Tokyo"},
			time.Date(2026, 11, 30, 17, 0, 0, 0, tokyo), at(2026, 11, 30, 12, 0), time.Hour}, // 12:00 Warsaw = 20:00 Tokyo
		{"spring forward inside the hours is an hour shorter", BusinessHours{Days: []time.Weekday{time.Sunday}, Start: "00:00", End: "06:00", TimeZone: "Europe/Warsaw"},
			at(2026, 3, 29, 0, 0), at(2026, 3, 30, 0, 0), 5 * time.Hour},
		{"fall back inside the hours is an hour longer", BusinessHours{Days: []time.Weekday{time.Sunday}, Start: "00:00", End: "06:00", TimeZone: "Europe/Warsaw"},
			at(2026, 10, 25, 0, 0), at(2026, 10, 26, 0, 0), 7 * time.Hour},
		{"office hours keep their local time across the change", office, at(2026, 10, 23, 9, 0), at(2026, 10, 26, 17, 0), 16 * time.Hour},
		{"a day that ends at midnight", BusinessHours{Days: weekdays, Start: "20:00", End: "24:00", TimeZone: "Europe/Warsaw"},
			at(2026, 11, 30, 0, 0), at(2026, 12, 2, 0, 0), 8 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := calendar(t, tc.hours).Between(tc.from, tc.to); got != tc.want {
				t.Errorf("Between(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestBusinessAdd(t *testing.T) {
	t.Parallel()
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, warsaw) }
	office := BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "Europe/Warsaw", Holidays: []Date{day("2026-12-01")}}
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"same day", at(11, 30, 10, 0), 2 * time.Hour, at(11, 30, 12, 0)},
		{"into the next day", at(11, 30, 16, 0), 2 * time.Hour, at(12, 2, 10, 0)}, // 1 December is a holiday
		{"over the weekend", at(11, 27, 16, 0), 2 * time.Hour, at(11, 30, 10, 0)},
		{"from the evening", at(11, 26, 22, 0), 30 * time.Minute, at(11, 27, 9, 30)},
		{"exactly to closing", at(11, 30, 9, 0), 8 * time.Hour, at(11, 30, 17, 0)},
		{"nothing left is the next working moment", at(11, 28, 12, 0), 0, at(11, 30, 9, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := calendar(t, office)
			got := c.Add(tc.from, tc.d)
			if !got.Equal(tc.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", tc.from, tc.d, got, tc.want)
			}
			if back := c.Between(tc.from, got); back != tc.d {
				t.Errorf("Between(from, Add(from, %v)) = %v", tc.d, back)
			}
		})
	}
}

func TestBusinessHoursCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		hours BusinessHours
		field string
	}{
		{"no days", BusinessHours{Start: "09:00", End: "17:00", TimeZone: "UTC"}, "days"},
		{"day out of range", BusinessHours{Days: []time.Weekday{7}, Start: "09:00", End: "17:00", TimeZone: "UTC"}, "days"},
		{"bad start", BusinessHours{Days: weekdays, Start: "9", End: "17:00", TimeZone: "UTC"}, "start"},
		{"bad end", BusinessHours{Days: weekdays, Start: "09:00", End: "25:00", TimeZone: "UTC"}, "end"},
		{"end before start", BusinessHours{Days: weekdays, Start: "17:00", End: "09:00", TimeZone: "UTC"}, "end"},
		{"unknown zone", BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "Mars/Olympus"}, "time_zone"},
		{"empty zone", BusinessHours{Days: weekdays, Start: "09:00", End: "17:00"}, "time_zone"},
		{"too many holidays", BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "UTC", Holidays: make([]Date, HolidaysMax+1)}, "holidays"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := tc.hours.Calendar()
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field].Code() == "" {
				t.Errorf("Calendar() = %v, want a problem with %s", err, tc.field)
			}
		})
	}
	if _, err := DefaultBusinessHours.Calendar(); err != nil {
		t.Errorf("default hours: %v", err)
	}
}
