package models

import "database/sql/driver"

// IDs is a list of object IDs stored as a JSON array.
type IDs []int64

// Value stores the IDs as JSON.
func (ids IDs) Value() (driver.Value, error) { return listValue(ids) }

// Scan reads IDs stored as JSON.
func (ids *IDs) Scan(v any) error { return scanList(v, (*[]int64)(ids)) }
