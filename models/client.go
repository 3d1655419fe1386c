package models

import "time"

// Client is a customer company: a tenant whose users see only its projects.
type Client struct {
	ID           int64      `gorm:"column:id;primaryKey" json:"id"`
	Name         string     `gorm:"column:name" json:"name"`
	ArchivedAt   *time.Time `gorm:"column:archived_at" json:"archived_at"`
	CreatedAt    time.Time  `gorm:"column:created_at" json:"created_at"`
	ProjectCount int        `gorm:"->;column:project_count;-:migration" json:"project_count"`
}

// NameMax is the longest name of a client, project or person.
const NameMax = 200

// DescriptionMax bounds free-text descriptions (about 20 printed pages).
const DescriptionMax = 50_000
