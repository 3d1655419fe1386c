// Package live pushes committed events to open browsers over websockets.
// It reads events through an EventSource and never touches SQL or HTTP
// handlers; the listener wakes it when PostgreSQL announces a commit.
package live

import (
	"encoding/json"
	"strconv"

	"github.com/doska/doska/models"
)

// The frames of the socket protocol. The SPA's src/live/ is the only other
// code that speaks it.
//
// Client to server:
//
//	{"type":"auth","token":"<access JWT>","projects":{"12":340}}   first frame, within 5 s
//	{"type":"subscribe","projects":{"12":340}}                     project → last seq it has
//	{"type":"unsubscribe","projects":[12]}
//	{"type":"reauth","token":"<fresh access JWT>"}                 before the old one expires
//
// Server to client:
//
//	{"type":"hello","user_id":3}
//	{"type":"event","event":{...models.Event...}}
//	{"type":"subscribed","project_id":12,"seq":345}   replay done, live from here
//	{"type":"resync","project_id":12}                 too far behind: reload the snapshot
//	{"type":"revoked","project_id":12}                access to the project ended
//	{"type":"notification"}                           a new notification: read GET /api/notifications
//	{"type":"time"}                                   one's timer or entries changed: read GET /api/timer
//	{"type":"sprint","week":"2026-W48"}               (staff) that week's plan changed: reload it
//	{"type":"projects"}                               the projects one may see changed: reload lists
//	{"type":"workshop","client_id":4,"workshop_id":9} that workshop changed: read it again
//	{"type":"error","message":"..."}
type clientFrame struct {
	Type     string          `json:"type"`
	Token    string          `json:"token,omitempty"`
	Projects json.RawMessage `json:"projects,omitempty"`
}

// positions are the last event numbers a client has, by project.
type positions map[int64]int64

func (f clientFrame) positions() (positions, bool) {
	var raw map[string]int64
	if len(f.Projects) == 0 {
		return positions{}, true
	}
	if err := json.Unmarshal(f.Projects, &raw); err != nil || len(raw) > maxSubscriptions {
		return nil, false
	}
	out := make(positions, len(raw))
	for k, v := range raw {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil || id <= 0 || v < 0 {
			return nil, false
		}
		out[id] = v
	}
	return out, true
}

func (f clientFrame) projectList() ([]int64, bool) {
	var ids []int64
	if err := json.Unmarshal(f.Projects, &ids); err != nil || len(ids) > maxSubscriptions {
		return nil, false
	}
	return ids, true
}

type helloFrame struct {
	Type   string `json:"type"`
	UserID int64  `json:"user_id"`
}

type eventFrame struct {
	Type  string       `json:"type"`
	Event models.Event `json:"event"`
}

type projectFrame struct {
	Type      string `json:"type"`
	ProjectID int64  `json:"project_id"`
	Seq       int64  `json:"seq,omitempty"`
}

type errorFrame struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Frames are plain structs of strings and numbers; this cannot fail.
		panic(err)
	}
	return b
}

// Close codes in the private range (RFC 6455 §7.4.2).
const (
	closeUnauthenticated = 4401 // no or bad auth frame, session ended: sign in again
	closeBadFrame        = 4400 // a frame the server could not read
	closeTooSlow         = 4408 // the send queue filled up: reconnect and resume
	closeTooMany         = 4429 // too many sockets for the account or address
)
