package validate

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// openText looks at the byte order mark and the encoding declaration and
// returns a reader that yields UTF-8. UTF-8 (with or without BOM), US-ASCII,
// ISO-8859-1 and windows-1252 (declared) and UTF-16 (with BOM) are supported;
// anything else is refused with a message that says what to do.
func openText(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("reading input: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		if enc := declaredEncoding(head[3:]); enc != "" && !isUTF8Name(enc) {
			return nil, &SyntaxError{Line: 1, Column: 1, Msg: fmt.Sprintf("the file starts with a UTF-8 byte order mark but declares encoding %q", enc)}
		}
		return br, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		br.Discard(2)
		return &utf16Reader{r: br, big: true}, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		br.Discard(2)
		return &utf16Reader{r: br}, nil
	case bytes.HasPrefix(head, []byte{0, '<', 0, '?'}), bytes.HasPrefix(head, []byte{'<', 0, '?', 0}):
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: "the file looks like UTF-16 without a byte order mark; save it as UTF-8"}
	}
	enc := declaredEncoding(head)
	switch {
	case enc == "" || isUTF8Name(enc):
		return br, nil
	case strings.EqualFold(enc, "US-ASCII"), strings.EqualFold(enc, "ASCII"):
		return br, nil // an ASCII file is UTF-8; non-ASCII bytes are reported as invalid UTF-8
	case isLatin1Name(enc):
		return &singleByteReader{r: br}, nil
	case strings.EqualFold(enc, "windows-1252"), strings.EqualFold(enc, "cp1252"):
		return &singleByteReader{r: br, cp1252: true}, nil
	case strings.HasPrefix(strings.ToUpper(enc), "UTF-16"), strings.EqualFold(enc, "UCS-2"):
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: fmt.Sprintf("the file declares encoding %q but has no UTF-16 byte order mark and is read as 8-bit text; fix the declaration or save the file as UTF-8", enc)}
	default:
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: fmt.Sprintf("unsupported encoding %q: save the file as UTF-8", enc)}
	}
}

func isUTF8Name(enc string) bool {
	return strings.EqualFold(enc, "UTF-8") || strings.EqualFold(enc, "UTF8")
}

func isLatin1Name(enc string) bool {
	switch strings.ToUpper(enc) {
	case "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "LATIN-1", "L1", "ISO-IR-100", "CP819", "IBM819":
		return true
	}
	return false
}

// declaredEncoding extracts the encoding pseudo-attribute of an XML
// declaration at the start of head ("" if there is none).
func declaredEncoding(head []byte) string {
	if !bytes.HasPrefix(head, []byte("<?xml")) || len(head) < 6 || !isSpaceByte(head[5]) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[5:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// cp1252 maps bytes 0x80-0x9F of windows-1252 to runes (0 = undefined).
var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// singleByteReader converts ISO-8859-1 or windows-1252 to UTF-8.
type singleByteReader struct {
	r      io.Reader
	cp1252 bool
	in     [16 << 10]byte
	out    []byte
	err    error
}

func (s *singleByteReader) Read(p []byte) (int, error) {
	for len(s.out) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		n, err := s.r.Read(s.in[:])
		s.err = err
		s.out = s.out[:0]
		for _, c := range s.in[:n] {
			if c < 0x80 {
				s.out = append(s.out, c)
				continue
			}
			r := rune(c)
			if s.cp1252 && c < 0xA0 {
				if r = cp1252[c-0x80]; r == 0 {
					r = utf8.RuneError
				}
			}
			s.out = utf8.AppendRune(s.out, r)
		}
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	return n, nil
}

// utf16Reader converts UTF-16 (after its byte order mark) to UTF-8.
type utf16Reader struct {
	r    io.Reader
	big  bool
	in   [16 << 10]byte
	keep int // undecoded bytes at the start of in
	out  []byte
	err  error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if u.keep > 0 {
				u.keep = 0
				return 0, &SyntaxError{Line: 1, Column: 1, Msg: "truncated UTF-16 input"}
			}
			return 0, u.err
		}
		n, err := u.r.Read(u.in[u.keep:])
		u.err = err
		n += u.keep
		u.out = u.out[:0]
		i := 0
		for ; i+1 < n; i += 2 {
			var c uint16
			if u.big {
				c = uint16(u.in[i])<<8 | uint16(u.in[i+1])
			} else {
				c = uint16(u.in[i+1])<<8 | uint16(u.in[i])
			}
			r := rune(c)
			if utf16.IsSurrogate(r) {
				if i+3 >= n {
					if u.err == nil {
						break // wait for the other half
					}
					r = utf8.RuneError
				} else {
					var c2 uint16
					if u.big {
						c2 = uint16(u.in[i+2])<<8 | uint16(u.in[i+3])
					} else {
						c2 = uint16(u.in[i+3])<<8 | uint16(u.in[i+2])
					}
					r = utf16.DecodeRune(r, rune(c2))
					i += 2
				}
			}
			u.out = utf8.AppendRune(u.out, r)
		}
		u.keep = copy(u.in[:], u.in[i:n])
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}
