package store

import (
	"context"
	"crypto/rand"
)

// Secret returns the named server secret, creating it with n random bytes
// on first use. Every instance on the database gets the same value.
func (s *Store) Secret(ctx context.Context, name string, n int) ([]byte, error) {
	fresh := make([]byte, n)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if err := db.Exec("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, fresh).Error; err != nil {
		return nil, wrap("secret", err)
	}
	var value []byte
	err := db.Raw("SELECT value FROM secrets WHERE name = ?", name).Row().Scan(&value)
	return value, wrap("secret", err)
}
