package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// Lists kept in a JSONB column. The columns are NOT NULL, so nil is stored
// as an empty list, and a NULL (an outer join's missing row) reads as one.

func listValue[T any](list []T) (driver.Value, error) {
	if list == nil {
		list = []T{}
	}
	b, err := json.Marshal(list)
	return string(b), err
}

func scanList[T any](v any, list *[]T) error {
	switch x := v.(type) {
	case []byte:
		return json.Unmarshal(x, list)
	case string:
		return json.Unmarshal([]byte(x), list)
	case nil:
		*list = []T{}
		return nil
	}
	return fmt.Errorf("models: cannot scan %T into %T", v, list)
}
