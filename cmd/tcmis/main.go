// Command tcmis runs a technical cooperation programme: its donors,
// agreements, projects, money, results, country programmes, evaluations and
// training, on SQLite or PostgreSQL.
//
// Run `tcmis --help` for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	if err != nil {
		fmt.Fprint(os.Stderr, describeError(err))
		os.Exit(exitCode(err))
	}
}
