package live

import (
	"encoding/json"
	"testing"

	"github.com/doska/doska/models"
)

// BenchmarkEncodeEventFrames is the hub's work per event: one frame for
// staff and one for clients, shared by every socket of the audience.
func BenchmarkEncodeEventFrames(b *testing.B) {
	est := 90
	task := models.Task{ID: 1, Number: 123, ProjectID: 1, Title: "Fix the menu on phones", Status: models.StatusInProgress,
		Rank: "a0V", Kind: models.KindBug, Priority: models.PriorityUrgent, EstimateMinutes: &est, Labels: models.Labels{"design"}}
	staff, _ := json.Marshal(models.TaskEvent{Task: task, Changes: map[string]models.Change{"status": {From: "set", To: "in_progress"}}})
	client, _ := json.Marshal(models.TaskEvent{Task: task.ForClient()})
	ev := models.Event{ProjectID: 1, Seq: 42, Kind: models.EventTaskMoved, Data: staff, ClientData: client}
	for b.Loop() {
		_ = encode(eventFrame{Type: "event", Event: ev})
		if ce, ok := ev.For(models.Actor{Role: models.RoleClient}); ok {
			_ = encode(eventFrame{Type: "event", Event: ce})
		}
	}
}
