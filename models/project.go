package models

import "time"

// Project is one client project (a project group): a board of tasks with
// staff members. Every user of the owning client can see it.
type Project struct {
	ID          int64  `gorm:"column:id;primaryKey" json:"id"`
	ClientID    int64  `gorm:"column:client_id" json:"client_id"`
	ClientName  string `gorm:"->;column:client_name;-:migration" json:"client_name"`
	Name        string `gorm:"column:name" json:"name"`
	Description string `gorm:"column:description" json:"description"`
	// Billable is the default of a new time entry on the project.
	Billable   bool       `gorm:"column:billable" json:"billable"`
	ArchivedAt *time.Time `gorm:"column:archived_at" json:"archived_at"`
	CreatedAt  time.Time  `gorm:"column:created_at" json:"created_at"`
	Members    []Member   `gorm:"-" json:"members"`
}

// Member is a staff member of a project as shown on it.
type Member struct {
	ID   int64  `gorm:"column:id" json:"id"`
	Name string `gorm:"column:name" json:"name"`
	Role Role   `gorm:"column:role" json:"role"`
}
