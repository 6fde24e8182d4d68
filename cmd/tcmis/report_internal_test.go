package main

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis/report"
)

// A report option the shared rules refuse is still a mistake in the
// command line: exit status 2, each problem on a line of its own under
// its flag, and the hint to the help.
func TestReportFlagProblems(t *testing.T) {
	var rf reportFlags
	cmd := &cobra.Command{Use: "delivery-projects"}
	rf.define(cmd, func(report.Option) bool { return true }, true)
	if err := cmd.Flags().Parse([]string{"--month", "June", "--limit", "-1", "--from", "2004", "--to", "2000"}); err != nil {
		t.Fatal(err)
	}
	_, err := rf.params(context.Background(), nil) // no office: the store is not asked
	if err == nil {
		t.Fatal("bad options accepted")
	}
	if got := exitCode(err); got != 2 {
		t.Errorf("exit status %d, want 2", got)
	}
	text := describeError(err)
	for _, want := range []string{
		"\n  - --to: the period ends (2000) before it starts (2004)\n",
		"\n  - --month: \"June\" is not a month",
		"\n  - --limit: \"-1\": give how many projects to list, or 0 for all\n",
		"Run 'tcmis --help' for usage.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the terminal is not told %q:\n%s", want, text)
		}
	}
}
