package auth

// PauseAfterRead makes s call f between reading a user's row and caching
// it, so a test can commit a change in between.
func PauseAfterRead(s *Sessions, f func(userID int64)) { s.afterRead = f }
