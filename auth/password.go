package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/tcmis/tcmis"
)

// The argon2id parameters of new hashes: OWASP's first recommendation
// (19 MiB of memory, two passes, one thread), about 30 ms a hash on a
// server of 2025. A stored hash keeps its own parameters, so they can be
// raised later without breaking existing passwords.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password lengths, in characters. The upper bound keeps a request from
// making the server hash megabytes.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 1024
)

// ErrMalformedHash is returned by CheckPassword for a stored hash that is
// not an argon2id PHC string it can check.
var ErrMalformedHash = errors.New("auth: malformed password hash")

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of pw with a new random salt, as
// a PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw is the password hashed in hash,
// comparing in constant time. The error is ErrMalformedHash (wrapped)
// when hash cannot be read; a wrong password is (false, nil).
func CheckPassword(hash, pw string) (bool, error) {
	p, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type argonHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseHash reads a PHC string, refusing parameters outside sane bounds
// so that a tampered hash cannot make a check take gigabytes or minutes.
func parseHash(s string) (*argonHash, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
	}
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" {
		return nil, bad("want $argon2id$v=..$m=..,t=..,p=..$salt$hash")
	}
	if f[1] != "argon2id" {
		return nil, bad("algorithm %q, want argon2id", f[1])
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, bad("version %q, want v=%d", f[2], argon2.Version)
	}
	var p argonHash
	seen := map[string]bool{}
	for _, kv := range strings.Split(f[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil || seen[k] {
			return nil, bad("parameter %q", kv)
		}
		seen[k] = true
		switch k {
		case "m":
			p.memory = uint32(n)
		case "t":
			p.time = uint32(n)
		case "p":
			if n > 255 {
				return nil, bad("parameter %q", kv)
			}
			p.threads = uint8(n)
		default:
			return nil, bad("parameter %q", kv)
		}
	}
	switch {
	case len(seen) != 3:
		return nil, bad("parameters %q, want m, t and p", f[3])
	case p.threads < 1 || p.time < 1 || p.time > 64:
		return nil, bad("parameters %q out of range", f[3])
	case p.memory < 8*uint32(p.threads) || p.memory > 1<<20: // at most 1 GiB
		return nil, bad("memory %d KiB out of range", p.memory)
	}
	var err error
	if p.salt, err = b64.DecodeString(f[4]); err != nil || len(p.salt) < 8 {
		return nil, bad("salt")
	}
	if p.key, err = b64.DecodeString(f[5]); err != nil || len(p.key) < 16 || len(p.key) > 128 {
		return nil, bad("hash")
	}
	return &p, nil
}

// CheckPasswordStrength refuses a password that is easy to guess: shorter
// than 12 characters, one character repeated, or, when the account's
// e-mail address is given, that address or the part before its @. The
// error is EINVALID, with the problem on the field "password".
func CheckPasswordStrength(pw string, email ...string) error {
	n := utf8.RuneCountInString(pw)
	var msg string
	switch {
	case n < MinPasswordLength:
		msg = fmt.Sprintf("the password must have at least %d characters", MinPasswordLength)
	case n > MaxPasswordLength:
		msg = fmt.Sprintf("the password must have at most %d characters", MaxPasswordLength)
	case strings.Count(pw, string([]rune(pw)[:1])) == n:
		msg = "the password must not be one character repeated"
	}
	for _, e := range email {
		e = strings.ToLower(strings.TrimSpace(e))
		local, _, _ := strings.Cut(e, "@")
		if p := strings.ToLower(strings.TrimSpace(pw)); msg == "" && e != "" && (p == e || p == local) {
			msg = "the password must not be the e-mail address"
		}
	}
	if msg == "" {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: "password is too weak", Problems: []tcmis.Problem{{Field: "password", Message: msg}}}
}
