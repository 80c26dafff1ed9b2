// Package migrations holds the schema as embedded SQL files, applied with bun's
// migrate package; River's own migrations run in the same command.
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var sqlFiles embed.FS

// Migrations is the application's schema history, in file-name order.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(sqlFiles); err != nil {
		panic(err) // the embedded files are fixed at build time
	}
}
