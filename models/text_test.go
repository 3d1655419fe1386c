package models

import (
	"strings"
	"testing"
)

func TestCleanEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  Ann@Example.COM ", "ann@example.com", true},
		{"ann@example", "ann@example", false},
		{"Ann <ann@example.com>", "ann <ann@example.com>", false},
		{"not-an-email", "not-an-email", false},
		{"", "", false},
		{strings.Repeat("a", 250) + "@x.io", strings.Repeat("a", 250) + "@x.io", false},
	}
	for _, tt := range tests {
		p := Problems{}
		got := CleanEmail(p, "email", tt.in)
		if got != tt.want || (len(p) == 0) != tt.ok {
			t.Errorf("CleanEmail(%q) = %q, problems %v; want %q, ok %v", tt.in, got, p, tt.want, tt.ok)
		}
	}
}

func TestCleanName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // problem message, "" = valid
	}{
		{" Acme ", ""},
		{"   ", "Fill this in; it cannot be empty."},
		{strings.Repeat("é", 201), "Shorten it to 200 characters or fewer (it has 201)."},
		{strings.Repeat("é", 200), ""},
		{"bad\nname", "Remove the line breaks, tabs and other control characters."},
		{"bad\x00name", "Remove the line breaks, tabs and other control characters."},
	}
	for _, tt := range tests {
		p := Problems{}
		CleanName(p, "name", tt.in, NameMax)
		if got := p["name"].Message(); got != tt.want {
			t.Errorf("CleanName(%q): problem %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in         string
		single, ml bool // accepted as a single line, as multi-line text
	}{
		{"plain words", true, true},
		{"line\nbreak\tand tab", false, true},
		{"nul\x00", false, false},
		{"escape\x1b[31m", false, false},
		{"carriage\rreturn", false, false},
		{"delete\x7f", false, false},
		{"c1\u0085", false, false},
		{"bad utf-8 \xff", false, false},
	}
	for _, tt := range tests {
		if got := SingleLine.Problem(tt.in) == nil; got != tt.single {
			t.Errorf("SingleLine.Problem(%q) accepted = %v, want %v", tt.in, got, tt.single)
		}
		if got := MultiLine.Problem(tt.in) == nil; got != tt.ml {
			t.Errorf("MultiLine.Problem(%q) accepted = %v, want %v", tt.in, got, tt.ml)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"short", "Use at least 8 characters."},
		{"password123", "Choose another password; this one is among the most common."},
		{"PASSWORD123", "Choose another password; this one is among the most common."},
		{"mauve ferret under the bridge", ""},
		{strings.Repeat("x", 100) + "Q!", ""}, // long passphrases are welcome
		{strings.Repeat("x", 257), "Use at most 256 characters."},
	}
	for _, tt := range tests {
		p := Problems{}
		CheckPassword(p, "password", tt.in)
		if got := p["password"].Message(); got != tt.want {
			t.Errorf("CheckPassword(%.20q): %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckRoleClient(t *testing.T) {
	t.Parallel()
	one := int64(1)
	tests := []struct {
		role   Role
		client *int64
		field  string
	}{
		{RoleClient, &one, ""},
		{RoleClient, nil, "client_id"},
		{RoleDeveloper, nil, ""},
		{RoleDeveloper, &one, "client_id"},
		{Role("owner"), nil, "role"},
	}
	for _, tt := range tests {
		p := Problems{}
		CheckRoleClient(p, tt.role, tt.client)
		if tt.field == "" && len(p) != 0 || tt.field != "" && p[tt.field].Code() == "" {
			t.Errorf("CheckRoleClient(%s, %v) = %v, want problem on %q", tt.role, tt.client, p, tt.field)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	p := Problems{}
	p.Add("b", Required)
	p.Add("a", TooLong, 3, 5)
	if got, want := p.Err().Error(), "invalid input: a: Shorten it to 3 characters or fewer (it has 5).; b: Fill this in; it cannot be empty."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if (Problems{}).Err() != nil {
		t.Error("no problems must give a nil error")
	}
}
