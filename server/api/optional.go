package api

import (
	"encoding/json"

	"github.com/doska/doska/models"
)

// optional is a JSON field that tells "absent" from "null": a PATCH that
// leaves a field out keeps it, one that sends null clears it.
type optional[T any] struct {
	set bool
	val *T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.val = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.val = &v
	return nil
}

// required returns the value of a field that may be absent but not null.
func requiredField[T any](o optional[T], name string, p models.Problems) *T {
	if !o.set {
		return nil
	}
	if o.val == nil {
		p.Add(name, models.NotNull)
	}
	return o.val
}

// nullable returns the field as "absent" (nil) or "set, maybe to null".
func nullable[T any](o optional[T]) **T {
	if !o.set {
		return nil
	}
	v := o.val
	return &v
}
