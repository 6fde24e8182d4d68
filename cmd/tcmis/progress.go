package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// progressBar draws "label  42% [=====>     ] 4,200/10,000" on a terminal,
// at most ten times a second. Off a terminal it draws nothing.
type progressBar struct {
	w     io.Writer
	label string
	on    bool

	mu   sync.Mutex
	last time.Time
	done bool
}

func (m *Main) progress(label string) *progressBar {
	return &progressBar{w: m.Stderr, label: label, on: m.Interactive}
}

// Update draws the bar; total < 0 means the total is not known yet.
func (p *progressBar) Update(done, total int64) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done || (time.Since(p.last) < 100*time.Millisecond && done != total) {
		return
	}
	p.last = time.Now()
	if total <= 0 {
		fmt.Fprintf(p.w, "\r%s  %s", p.label, groupThousands(fmt.Sprint(done)))
		return
	}
	const width = 30
	filled := int(done * width / max(total, 1))
	filled = min(filled, width)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	if filled < width {
		bar = bar[:filled] + ">" + bar[filled+1:]
	}
	fmt.Fprintf(p.w, "\r%s %3d%% [%s] %s/%s", p.label, done*100/max(total, 1), bar,
		groupThousands(fmt.Sprint(done)), groupThousands(fmt.Sprint(total)))
}

// Finish clears the bar's line.
func (p *progressBar) Finish() {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = true
	fmt.Fprint(p.w, "\r\033[K")
}
