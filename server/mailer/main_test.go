package mailer_test

import (
	"testing"

	"github.com/doska/doska/server/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
