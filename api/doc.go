// Package api is the JSON API under /api/v1: every record of the
// programme readable and writable by other systems with the same rules as
// the screens (tcmis.User.Can, CanSeeProject, CanEditProject), an OpenAPI
// 3.1 document at /api/v1/openapi.json, optimistic locking with ETag and
// If-Match, and errors as JSON with a code and a message.
//
// Every route is a row of one table (routes.go): its method, path,
// permission, summary and schemas. The ServeMux and the OpenAPI document
// are both made from that table, so the document cannot describe a route
// the server does not have, nor miss one it has.
//
// Who makes a request is the auth middleware's business (a session cookie
// or an "Authorization: Bearer" API token); this package only reads the
// user from the request's context.
package api
