package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	p := &progressBar{w: &buf, label: "importing x.csv", on: true}
	p.Update(2500, 10000)
	if got := buf.String(); !strings.Contains(got, "importing x.csv  25% [=======>") || !strings.Contains(got, "2,500/10,000") {
		t.Errorf("bar at 25%%: %q", got)
	}
	buf.Reset()
	p.Update(10000, 10000) // the last update is always drawn
	if got := buf.String(); !strings.Contains(got, "100%") || !strings.Contains(got, "10,000/10,000") {
		t.Errorf("bar at 100%%: %q", got)
	}
	p.Finish()
	buf.Reset()
	p.Update(1, 2)
	if buf.Len() != 0 {
		t.Errorf("bar drawn after Finish: %q", buf.String())
	}

	// Off a terminal nothing is drawn.
	off := &progressBar{w: &buf, label: "x", on: false}
	off.Update(1, 2)
	off.Finish()
	if buf.Len() != 0 {
		t.Errorf("bar drawn off a terminal: %q", buf.String())
	}
}
