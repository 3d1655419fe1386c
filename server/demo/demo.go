// Package demo creates the demo data set shown on a fresh install: an agency
// with a PM, two developers and an admin, two clients with a user each, and
// their projects.
package demo

import (
	"context"
	"fmt"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/store"
)

// Password is every demo account's password. It exists only in demo mode.
const Password = "doska-demo"

// Login is one demo account as printed at start.
type Login struct {
	Email string
	Role  models.Role
	Note  string
}

type person struct {
	email, name string
	role        models.Role
	client      string
}

var people = []person{
	{"admin@example.com", "Alex Admin", models.RoleAdmin, ""},
	{"pm@example.com", "Pat Morgan", models.RoleManager, ""},
	{"dev1@example.com", "Dana Lee", models.RoleDeveloper, ""},
	{"dev2@example.com", "Sam Ortiz", models.RoleDeveloper, ""},
	{"client@acme.example.com", "Chris Miller", models.RoleClient, "Acme"},
	{"client@globex.example.com", "Greta Novak", models.RoleClient, "Globex"},
}

type project struct {
	client, name, description string
	members                   []string
}

var projects = []project{
	{"Acme", "Website relaunch", "New corporate site on the headless CMS, launch before the trade fair.", []string{"pm@example.com", "dev1@example.com"}},
	{"Acme", "Online shop", "Maintenance and small features of the B2B shop.", []string{"pm@example.com", "dev1@example.com", "dev2@example.com"}},
	{"Globex", "Customer portal", "Self-service portal: invoices, tickets, contracts.", []string{"pm@example.com", "dev2@example.com"}},
}

// Seed creates the demo data set in an empty database and returns the
// logins to print.
func Seed(ctx context.Context, st *store.Store) ([]Login, error) {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	clients := map[string]int64{}
	users := map[string]models.User{}
	for _, p := range people {
		if p.role != models.RoleAdmin {
			continue
		}
		if users[p.email], err = st.CreateUser(ctx, store.NewUser{Email: p.email, Name: p.name, Role: p.role, PasswordHash: hash}); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	admin := users["admin@example.com"].Actor()
	for _, name := range []string{"Acme", "Globex"} {
		c, err := st.CreateClient(ctx, admin, name)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		clients[name] = c.ID
	}
	var logins []Login
	for _, p := range people {
		if p.role != models.RoleAdmin {
			n := store.NewUser{Email: p.email, Name: p.name, Role: p.role, PasswordHash: hash}
			if p.client != "" {
				id := clients[p.client]
				n.ClientID = &id
			}
			if users[p.email], err = st.CreateUser(ctx, n); err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
		}
		note := string(p.role)
		if p.client != "" {
			note += " at " + p.client
		}
		logins = append(logins, Login{Email: p.email, Role: p.role, Note: note})
	}
	for _, pr := range projects {
		var members []int64
		for _, m := range pr.members {
			members = append(members, users[m].ID)
		}
		if _, err := st.CreateProject(ctx, admin, store.NewProject{ClientID: clients[pr.client], Name: pr.name, Description: pr.description, MemberIDs: members}); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	return logins, nil
}
