-- Signing in (tcmis.AuthService). Secrets are never stored: a password as
-- its argon2id hash (a PHC string), a session or API token as the SHA-256
-- of its random token. Everything goes with its user.
--
-- Times on SQLite are fixed-width UTC text (2006-01-02T15:04:05.000000Z) so
-- that comparing them as text orders them in time: expiry and the counts of
-- failed sign-ins compare them in SQL.

CREATE TABLE user_passwords (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	hash TEXT NOT NULL,
	changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	last_seen TEXT NOT NULL,
	user_agent TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	prefix TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	expires_at TEXT,
	last_used TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Kept to slow down guessing: failures are counted by e-mail address and
-- by network address over a recent window.
CREATE TABLE sign_in_attempts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	email TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	at TEXT NOT NULL,
	ok BOOLEAN NOT NULL
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at);
