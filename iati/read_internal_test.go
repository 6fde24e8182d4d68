package iati

import (
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

// parseDay must agree with time.Parse, which it saves the reader from
// calling on every date.
func TestParseDay(t *testing.T) {
	for _, s := range []string{"2020-01-01", "2020-02-29", "2021-02-29", "1900-02-29", "2000-02-29", "2020-04-31",
		"2020-12-31", "2020-13-01", "2020-00-10", "2020-01-00", "2020-01-32", "0000-01-01", "9999-12-31",
		"2020-1-01", "20a0-01-01", "+020-01-01", "2020-01-0 ", "2020/01/01", "", "2020-01-01T00:00:00Z"} {
		got, err := parseDay(s)
		want, wantErr := time.Parse(tcmis.DateLayout, s)
		if (err != nil) != (wantErr != nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseDay(%q) = %v, %v; time.Parse gives %v, %v", s, got, err, want, wantErr)
		}
	}
}
