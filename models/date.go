package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day without a time zone (a due date), "2006-01-02" on
// the wire and a DATE in the database.
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// ParseDate reads a "YYYY-MM-DD" day; its error is a Problem.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, DateFormat.With()
	}
	return Date{t}, nil
}

func (d Date) String() string { return d.Format(dateLayout) }

// MarshalJSON writes the day as a string.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a "YYYY-MM-DD" string.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the day as a DATE.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a DATE.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		p, err := ParseDate(x)
		*d = p
		return err
	}
	return fmt.Errorf("models: cannot scan %T into a Date", v)
}
