package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tcmis/tcmis"
)

// Users (administrators only), the signed-in user, their API tokens,
// and the audit trail.

func (h *Handler) users() *resource[tcmis.User] {
	return &resource[tcmis.User]{
		name:    "user",
		ids:     func(v *tcmis.User) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{{"email", "string", "e-mail address"}},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.User, int, error) {
			f := tcmis.UserFilter{Email: q.text("email"), Offset: pg.Offset, Limit: pg.Limit}
			return func(ctx context.Context) ([]*tcmis.User, int, error) { return h.store.FindUsers(ctx, f) }
		},
		get:    h.store.FindUserByID,
		update: h.store.UpdateUser,
		remove: h.store.DeleteUser,
	}
}

// NewUser is a user to create, with the password they sign in with
// (none: they cannot sign in until one is set, but may use API tokens
// an administrator issues them from the command line).
type NewUser struct {
	tcmis.User
	Password string `json:"password,omitempty"`
}

// createUser is POST /users.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	var in NewUser
	if err := decode(r, &in); err != nil {
		return err
	}
	nu := in.User
	nu.ID, nu.Version, nu.CreatedAt = 0, 0, time.Time{}
	var err error
	if in.Password != "" {
		err = h.auth.AddUser(r.Context(), &nu, in.Password)
	} else {
		err = h.store.CreateUser(r.Context(), &nu)
	}
	if err != nil {
		return err
	}
	res := h.users()
	w.Header().Set("Location", r.URL.Path+"/"+strconv.FormatInt(nu.ID, 10))
	res.writeOne(w, http.StatusCreated, &nu)
	return nil
}

// Me is the signed-in user and what they may do.
type Me struct {
	User        *tcmis.User        `json:"user"`
	Permissions []tcmis.Permission `json:"permissions"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	perms := u.Role.Permissions()
	if perms == nil {
		perms = []tcmis.Permission{}
	}
	writeJSON(w, http.StatusOK, Me{User: u, Permissions: perms})
	return nil
}

// TokenRequest asks for a new API token.
type TokenRequest struct {
	// Name tells the user's tokens apart ("reporting server").
	Name string `json:"name"`
	// ExpiresInDays is how long the token lasts (0: until deleted).
	ExpiresInDays int `json:"expires_in_days,omitempty"`
}

// NewToken is a token just issued, with its secret, which is shown only
// this once.
type NewToken struct {
	Token  *tcmis.APIToken `json:"token"`
	Secret string          `json:"secret"`
}

func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ts, err := h.store.FindAPITokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []*tcmis.APIToken{}
	}
	writeJSON(w, http.StatusOK, ts)
	return nil
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	var req TokenRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var ps []tcmis.Problem
	if req.Name == "" {
		ps = append(ps, tcmis.Problem{Field: "name", Message: "name the token, so that you can tell it from your others"})
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > 3660 {
		ps = append(ps, tcmis.Problem{Field: "expires_in_days", Message: "give a number of days from 1 to 3660, or 0 for a token that lasts until deleted"})
	}
	if len(ps) > 0 {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "the token request is not valid", Problems: ps}
	}
	secret, t, err := h.auth.NewAPIToken(r.Context(), u.ID, req.Name, time.Duration(req.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return err
	}
	w.Header().Set("Location", r.URL.Path+"/"+strconv.FormatInt(t.ID, 10))
	writeJSON(w, http.StatusCreated, NewToken{Token: t, Secret: secret})
	return nil
}

// deleteToken is DELETE /tokens/{id}: a user deletes only their own
// tokens; another's is not found.
func (h *Handler) deleteToken(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ts, err := h.store.FindAPITokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ts, func(t *tcmis.APIToken) bool { return t.ID == id }) {
		return tcmis.Errorf(tcmis.ENOTFOUND, "API token %d not found", id)
	}
	if err := h.store.DeleteAPIToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

var changeFilters = []Param{
	{"entity", "string", "kind of record: project, organisation, approval, ..."},
	{"record", "integer", "id of the record"},
	{"user", "integer", "id of the user who made the change"},
}

// listChanges is GET /changes: the audit trail, newest first.
func (h *Handler) listChanges(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	q := newQuery(r, changeFilters)
	pg := q.paging()
	f := tcmis.ChangeFilter{Entity: q.text("entity"), RecordID: q.id("record"), UserID: q.id("user"), Offset: pg.Offset, Limit: pg.Limit}
	if err := q.err(); err != nil {
		return err
	}
	cs, total, err := h.store.FindChanges(r.Context(), f)
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*tcmis.Change{}
	}
	writeJSON(w, http.StatusOK, Page[tcmis.Change]{Items: cs, Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}
