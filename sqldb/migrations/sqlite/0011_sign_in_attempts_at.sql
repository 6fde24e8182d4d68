-- The hourly purge in tcmis serve deletes sign-in attempts by at alone (PurgeSessions); the indexes on (email, at) and (address, at) cannot serve it.
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);
