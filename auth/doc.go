// Package auth signs users in: it hashes and checks passwords (argon2id,
// stored as PHC strings), opens and ends browser sessions, issues API
// tokens, slows down repeated failed sign-ins, and puts the signed-in user
// into each request's context for the web screens and the JSON API.
//
// Only hashes reach the store: a session cookie and an API token secret
// are random values of which the store keeps the SHA-256, so a copy of the
// database lets nobody sign in. What a user may do once signed in is the
// domain's rule (tcmis.User.Can); this package only says who they are.
package auth
