package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || !c.Demo || c.SiteURL.String() != "http://localhost:8080" {
		t.Errorf("defaults: %+v", c)
	}
	if got, want := c.Origins(), []string{"http://localhost:8080", "http://127.0.0.1:8080"}; !reflect.DeepEqual(got, want) {
		t.Errorf("origins %v, want %v", got, want)
	}
}

func TestLoadDemoFollowsDatabase(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://db/doska"}))
	if err != nil || c.Demo {
		t.Errorf("with DATABASE_URL the demo is off by default: demo=%v err=%v", c.Demo, err)
	}
	c, err = Load(env(map[string]string{"DATABASE_URL": "postgres://db/doska", "DOSKA_DEMO": "1"}))
	if err != nil || !c.Demo {
		t.Errorf("DOSKA_DEMO=1 turns it on: demo=%v err=%v", c.Demo, err)
	}
}

func TestLoadSecretFile(t *testing.T) {
	t.Parallel()
	f := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(f, []byte(strings.Repeat("s", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"DOSKA_JWT_SECRET_FILE": f, "DOSKA_SITE_URL": "https://doska.example.com"}))
	if err != nil || string(c.JWTSecret) != strings.Repeat("s", 40) {
		t.Errorf("secret from file: %q, %v", c.JWTSecret, err)
	}
	if got := c.Origins(); !reflect.DeepEqual(got, []string{"https://doska.example.com"}) {
		t.Errorf("origins %v", got)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	tests := map[string]map[string]string{
		"DOSKA_ADDR":             {"DOSKA_ADDR": "8080"},
		"DOSKA_DEMO":             {"DOSKA_DEMO": "maybe"},
		"DOSKA_SITE_URL":         {"DOSKA_SITE_URL": "doska.example.com/app"},
		"DOSKA_JWT_SECRET":       {"DOSKA_JWT_SECRET": "short"},
		"DOSKA_JWT_SECRET_FILE":  {"DOSKA_JWT_SECRET_FILE": "/nonexistent/secret"},
		"DOSKA_TRUSTED_PROXIES":  {"DOSKA_TRUSTED_PROXIES": "10.0.0.0/8, not-a-cidr"},
		"DOSKA_LOG_FORMAT":       {"DOSKA_LOG_FORMAT": "xml"},
		"DOSKA_LOG_LEVEL":        {"DOSKA_LOG_LEVEL": "loud"},
		"DOSKA_PPROF_ADDR":       {"DOSKA_PPROF_ADDR": "0.0.0.0:6060"},
		"DOSKA_SOCKETS_PER_USER": {"DOSKA_SOCKETS_PER_USER": "0"},
	}
	for name, vars := range tests {
		if _, err := Load(env(vars)); err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("%v: error %v does not name %s", vars, err, name)
		}
	}
}

func TestLoadMail(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	if err != nil || c.SMTP != nil || c.MailFrom.Address != "doska@localhost" || c.InboundAddr != "" {
		t.Errorf("defaults: smtp %v from %v inbound %q (%v)", c.SMTP, c.MailFrom, c.InboundAddr, err)
	}
	c, err = Load(env(map[string]string{"DOSKA_SMTP_HOST": "mail.example.com", "DOSKA_SMTP_USER": "doska", "DOSKA_SMTP_PASSWORD": "p@ss:w/rd",
		"DOSKA_MAIL_FROM": "Agency <board@agency.example>", "DOSKA_SMTP_INBOUND_ADDR": "127.0.0.1:2525"}))
	if err != nil || c.SMTP.Host != "mail.example.com:587" || c.MailFrom.Address != "board@agency.example" || c.InboundAddr != "127.0.0.1:2525" {
		t.Fatalf("%+v %v", c, err)
	}
	if pw, _ := c.SMTP.User.Password(); pw != "p@ss:w/rd" || c.SMTP.User.Username() != "doska" {
		t.Errorf("credentials %v", c.SMTP.User)
	}
	for name, vars := range map[string]map[string]string{
		"DOSKA_SMTP_URL":          {"DOSKA_SMTP_URL": "http://mail.example.com"},
		"DOSKA_SMTP_PORT":         {"DOSKA_SMTP_HOST": "mail.example.com", "DOSKA_SMTP_PORT": "smtp"},
		"DOSKA_MAIL_FROM":         {"DOSKA_MAIL_FROM": "not an address"},
		"DOSKA_SMTP_INBOUND_ADDR": {"DOSKA_SMTP_INBOUND_ADDR": "2525"},
	} {
		if _, err := Load(env(vars)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name it", name, err)
		}
	}
}
