package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// IDs is a list of object IDs stored as a JSON array.
type IDs []int64

// Value stores the IDs as JSON.
func (ids IDs) Value() (driver.Value, error) {
	if ids == nil {
		ids = IDs{}
	}
	b, err := json.Marshal([]int64(ids))
	return string(b), err
}

// Scan reads IDs stored as JSON.
func (ids *IDs) Scan(v any) error {
	switch x := v.(type) {
	case []byte:
		return json.Unmarshal(x, (*[]int64)(ids))
	case string:
		return json.Unmarshal([]byte(x), (*[]int64)(ids))
	case nil:
		*ids = IDs{}
		return nil
	}
	return fmt.Errorf("models: cannot scan %T into IDs", v)
}
