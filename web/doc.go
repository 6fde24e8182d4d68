// Package web is the browser application of tcmis: server-rendered pages
// (html/template, one small file per screen or action, every route listed
// in routes.go), sign-in with sessions kept in the database, permissions
// checked on every route against the roles of the domain (access.go at the
// root), embedded assets served under content-hash names, and the
// interface in English, French and Spanish.
//
// Pages use no inline script or style, so the Content-Security-Policy of
// package httpx forbids both. Forms are protected against cross-site
// requests by Go's cross-origin protection (wired in cmd/tcmis) and
// SameSite cookies.
package web
