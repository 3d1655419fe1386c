package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// TeamBoardDoneDays is how far back the team board shows finished cards.
const TeamBoardDoneDays = 14

// TeamProject names a project on the team board's badges.
type TeamProject struct {
	ID         int64  `gorm:"column:id" json:"id"`
	Name       string `gorm:"column:name" json:"name"`
	ClientName string `gorm:"column:client_name" json:"client_name"`
}

// TeamPerson is a row of the team board. With no weekly capacity (an
// admin who does not take work) the row is shown only while it has cards.
type TeamPerson struct {
	models.Member
	Capacity int `gorm:"column:weekly_capacity_minutes" json:"weekly_capacity_minutes"`
	// This week: the estimates of the person's tasks in it, and the time
	// they logged.
	Planned int `gorm:"column:week_planned_minutes;->;-:migration" json:"week_planned_minutes"`
	Spent   int `gorm:"column:week_spent_minutes;->;-:migration" json:"week_spent_minutes"`
}

// TeamBoard is every open card of the projects the actor can see, for one
// row per staff member, with each project's event number so the socket
// resumes every project from the snapshot.
type TeamBoard struct {
	Seqs      map[int64]int64 `json:"seqs"`
	Projects  []TeamProject   `json:"projects"`
	People    []TeamPerson    `json:"people"`
	Tasks     []models.Task   `json:"tasks"`
	DoneSince time.Time       `json:"done_since"` // finished cards are shown from here on
}

// TeamBoardHead reads what identifies the actor's team board: the projects
// they see with their event numbers, the people, and the cut-off for
// finished cards (to the hour, so it names a snapshot for an hour).
func (s *Store) TeamBoardHead(ctx context.Context, a models.Actor) (TeamBoard, error) {
	if !a.IsStaff() {
		return TeamBoard{}, fmt.Errorf("store: team board: %w", models.ErrForbidden)
	}
	return s.teamHead(s.db.WithContext(ctx), a)
}

func (s *Store) teamHead(tx *gorm.DB, a models.Actor) (TeamBoard, error) {
	b := TeamBoard{Projects: []TeamProject{}, People: []TeamPerson{}, Tasks: []models.Task{},
		DoneSince: s.now().Add(-TeamBoardDoneDays * 24 * time.Hour).Truncate(time.Hour)}
	projects := scopeProjects(tx.Table("projects").Select("projects.id, projects.name, clients.name AS client_name").
		Joins("JOIN clients ON clients.id = projects.client_id").
		Where("projects.archived_at IS NULL AND clients.archived_at IS NULL"), a.ProjectScope())
	if err := projects.Order("lower(clients.name), lower(projects.name)").Find(&b.Projects).Error; err != nil {
		return b, wrap("team board", err)
	}
	ids := make([]int64, len(b.Projects))
	for i, p := range b.Projects {
		ids[i] = p.ID
	}
	w := models.WeekOf(s.now())
	if err := tx.Table("users").Select(`id, name, role, weekly_capacity_minutes,
		(SELECT coalesce(sum(t.estimate_minutes), 0) FROM tasks t JOIN sprints sp ON sp.id = t.sprint_id
		 WHERE sp.week_start = ? AND t.assignee_id = users.id AND t.archived_at IS NULL) AS week_planned_minutes`, w.Monday).
		Where("role <> 'client' AND active").Order("lower(name), id").Find(&b.People).Error; err != nil {
		return b, wrap("team board", err)
	}
	spent, err := weekSpent(tx, w)
	if err != nil {
		return b, err
	}
	for i := range b.People {
		b.People[i].Spent = spent[b.People[i].ID]
	}
	b.Seqs, err = projectSeqs(tx, ids)
	return b, err
}

// TeamBoard reads the team board for the projects of head (from
// TeamBoardHead). Only staff see it: it is the agency's view of its
// people's load.
func (s *Store) TeamBoard(ctx context.Context, a models.Actor, head TeamBoard) (TeamBoard, error) {
	if !a.IsStaff() {
		return TeamBoard{}, fmt.Errorf("store: team board: %w", models.ErrForbidden)
	}
	if len(head.Projects) == 0 {
		return head, nil
	}
	ids := make([]int64, len(head.Projects))
	for i, p := range head.Projects {
		ids[i] = p.ID
	}
	// The event numbers are read again with the cards, so that they agree;
	// the projects' names and the people after them, so that a change made
	// after those numbers is replayed to the socket, never missed.
	doneSince := head.DoneSince
	seqs, cards, err := s.readCards(ctx, ids, &doneSince)
	if err != nil {
		return head, err
	}
	b, err := s.teamHead(s.db.WithContext(ctx), a)
	if err != nil {
		return b, err
	}
	// Only projects both reads saw: one added meanwhile comes with the
	// next read (its doorbell asks for one), one gone meanwhile goes.
	b.Projects = slices.DeleteFunc(b.Projects, func(p TeamProject) bool {
		_, read := seqs[p.ID]
		return !read
	})
	b.Seqs = make(map[int64]int64, len(b.Projects))
	for _, p := range b.Projects {
		b.Seqs[p.ID] = seqs[p.ID]
	}
	b.Tasks = slices.DeleteFunc(cards, func(t models.Task) bool {
		_, shown := b.Seqs[t.ProjectID]
		return !shown
	})
	b.DoneSince = doneSince
	return b, nil
}
