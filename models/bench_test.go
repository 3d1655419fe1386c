package models

import (
	"encoding/json"
	"testing"
	"time"
)

// Micro-benchmarks of the pure code on hot paths: every move computes a
// rank, every request and socket frame checks access, every frame picks an
// audience, every planning screen does the capacity arithmetic.

func BenchmarkRankBetween(b *testing.B) {
	for b.Loop() {
		_, _ = RankBetween("a0V", "a1")
	}
}

func BenchmarkRankBetweenLongKeys(b *testing.B) {
	lo, hi := "a0", "a1"
	for range 200 { // the worst case: many inserts at one spot
		hi, _ = RankBetween(lo, hi)
	}
	b.ResetTimer()
	for b.Loop() {
		_, _ = RankBetween(lo, hi)
	}
}

func BenchmarkProjectScopeIncludes(b *testing.B) {
	actors := []Actor{{1, RoleAdmin, 0}, {2, RoleDeveloper, 0}, {3, RoleClient, 7}}
	p := ProjectAccess{ClientID: 7, IsMember: true}
	for b.Loop() {
		for _, a := range actors {
			_ = a.ProjectScope().Includes(p)
		}
	}
}

func BenchmarkCan(b *testing.B) {
	a := Actor{UserID: 1, Role: RoleDeveloper}
	for b.Loop() {
		_ = a.Can(ActEditTasks)
	}
}

func BenchmarkEventForClient(b *testing.B) {
	est := 90
	payload, _ := json.Marshal(TaskEvent{Task: Task{ID: 1, Title: "Fix the menu", EstimateMinutes: &est}})
	ev := Event{ProjectID: 1, Seq: 1, Kind: EventTaskMoved, Data: payload, ClientData: payload}
	client := Actor{UserID: 9, Role: RoleClient, ClientID: 7}
	for b.Loop() {
		_, _ = ev.For(client)
	}
}

func BenchmarkTaskEventForClient(b *testing.B) {
	est := 90
	ev := TaskEvent{Task: Task{ID: 1, Title: "Fix the menu", EstimateMinutes: &est},
		Changes: map[string]Change{"estimate_minutes": {From: 60, To: 90}, "title": {From: "a", To: "b"}}}
	for b.Loop() {
		_ = ev.ForClient()
	}
}

func BenchmarkComputeLoad(b *testing.B) {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	items := make([]PlanItem, 60) // a busy person's week
	for i := range items {
		m := 30 + i*10
		items[i] = PlanItem{Priority: []Priority{PriorityNormal, PriorityUrgent, PriorityCritical}[i%3], EstimateMinutes: &m, PlannedAt: start.Add(time.Duration(i-30) * time.Hour)}
	}
	for b.Loop() {
		_ = ComputeLoad(2400, 20, start, items)
	}
}
