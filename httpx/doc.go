// Package httpx holds what the web screens and the JSON API share about
// HTTP: the mapping of application errors to statuses, the security
// headers every response carries, request logging and recovery, and the
// client's address. It knows nothing about templates or JSON shapes.
package httpx
