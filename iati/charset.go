package iati

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader decodes the encodings the reader supports besides UTF-8:
// ISO-8859-1 (Latin-1) and windows-1252, the two that published IATI
// files declare in practice. Others are refused with a message that says
// what to do.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return &singleByte{r: input, table: nil}, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return &singleByte{r: input, table: &cp1252}, nil
	}
	return nil, fmt.Errorf("the file declares encoding %q, which tcmis does not read: save it as UTF-8 (or ISO-8859-1 or windows-1252) and import it again", charset)
}

// singleByte turns a single-byte encoding into UTF-8: Latin-1 when table
// is nil, else windows-1252, whose bytes 0x80-0x9F are in table.
type singleByte struct {
	r     io.Reader
	table *[32]rune
	buf   [4096]byte
	out   []byte
}

func (s *singleByte) Read(p []byte) (int, error) {
	if len(s.out) == 0 {
		n, err := s.r.Read(s.buf[:])
		if n == 0 {
			return 0, err
		}
		s.out = s.out[:0]
		for _, c := range s.buf[:n] {
			r := rune(c)
			if c >= 0x80 && c < 0xA0 && s.table != nil {
				r = s.table[c-0x80]
			}
			s.out = utf8.AppendRune(s.out, r)
		}
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	return n, nil
}

// cp1252 maps windows-1252 bytes 0x80-0x9F; the five undefined ones stay
// the C1 controls of Latin-1.
var cp1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}
