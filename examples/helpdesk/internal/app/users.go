package app

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// User is a helpdesk user: an agent (staff) or a customer.
type User struct {
	// Login is the unique user name typed on the login screen.
	Login string
	// FullName is shown in the header and on the session screen.
	FullName string
	// Kind says whether the user is an agent or a customer. Agents log in
	// at /login, customers at /customer/login.
	Kind session.Kind
	// Groups maps a group name to the permissions the user holds on it,
	// e.g. {"admin": ["rw"]}. An agent with rw or move_into on "admin" is a
	// maintenance admin (maintenance.IsMaintenanceAdmin).
	Groups map[string][]string
	// TimeZone is an IANA zone name; dates are shown and parsed in it.
	TimeZone string
	// Language is the user's language tag, "en" by default.
	Language string
}

// MaintenanceAdmin reports whether u may manage maintenance windows and log
// in during maintenance: an agent with rw or move_into on the group admin.
func (u User) MaintenanceAdmin() bool {
	return u.Kind == session.Agent && maintenance.IsMaintenanceAdmin(u.Groups)
}

// DefaultPasswordIterations is the PBKDF2-SHA-256 iteration count when
// Config.PasswordIterations is zero (OWASP's 2023 recommendation). Tests pass
// a low count.
const DefaultPasswordIterations = 600_000

// The demo users created by App.Seed, with their fixed demo passwords.
var demoUsers = []struct {
	user     User
	password string
}{
	{User{Login: "admin", FullName: "Admin Istrator", Kind: session.Agent,
		Groups: map[string][]string{"admin": {"rw"}, "users": {"rw"}}}, "admin-demo"},
	{User{Login: "agent", FullName: "Alex Agent", Kind: session.Agent,
		Groups: map[string][]string{"users": {"rw"}}}, "agent-demo"},
	{User{Login: "customer", FullName: "Casey Customer", Kind: session.Customer,
		Groups: map[string][]string{}}, "customer-demo"},
}

// usersSchema creates the helpdesk's own tables next to sysmaint's in the
// same database, SQLite or PostgreSQL. It is idempotent.
const usersSchema = `
CREATE TABLE IF NOT EXISTS helpdesk_users (
    login         TEXT    NOT NULL PRIMARY KEY CHECK (login <> ''),
    full_name     TEXT    NOT NULL,
    kind          INTEGER NOT NULL CHECK (kind IN (1, 2)),
    password_hash TEXT    NOT NULL,
    groups_json   TEXT    NOT NULL DEFAULT '{}',
    time_zone     TEXT    NOT NULL DEFAULT 'UTC',
    language      TEXT    NOT NULL DEFAULT 'en'
);
CREATE TABLE IF NOT EXISTS helpdesk_settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);`

// createTables creates the helpdesk's tables if they are missing. Several
// instances starting at once on one PostgreSQL database may race on
// CREATE TABLE IF NOT EXISTS, which PostgreSQL does not make safe: a
// failure is no failure when the tables are there afterwards.
func (a *App) createTables(ctx context.Context) error {
	err := execScript(ctx, a.db.SQL, usersSchema)
	if err == nil {
		return nil
	}
	if _, lerr := a.db.SQL.ExecContext(ctx, "SELECT 1 FROM helpdesk_users, helpdesk_settings WHERE 1 = 0"); lerr == nil {
		return nil
	}
	return fmt.Errorf("helpdesk: create tables: %w", err)
}

// execScript runs the statements of script, separated by ";", one by one:
// pgx's extended protocol takes one statement per call.
func execScript(ctx context.Context, db *sqlx.DB, script string) error {
	for _, stmt := range strings.Split(script, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// errNoUser means no user has the given login (and kind).
var errNoUser = errors.New("helpdesk: no such user")

// errUserExists means a user with the given login is stored already.
var errUserExists = errors.New("helpdesk: user exists")

type userRow struct {
	Login        string `db:"login"`
	FullName     string `db:"full_name"`
	Kind         int64  `db:"kind"`
	PasswordHash string `db:"password_hash"`
	GroupsJSON   string `db:"groups_json"`
	TimeZone     string `db:"time_zone"`
	Language     string `db:"language"`
}

func (r userRow) user() (User, error) {
	u := User{Login: r.Login, FullName: r.FullName, Kind: session.Kind(r.Kind),
		TimeZone: r.TimeZone, Language: r.Language}
	if err := json.Unmarshal([]byte(r.GroupsJSON), &u.Groups); err != nil {
		return User{}, fmt.Errorf("helpdesk: user %q: groups: %w", r.Login, err)
	}
	return u, nil
}

// AddUser stores a new user with the given password, hashed with
// PBKDF2-SHA-256 and a random salt. An empty TimeZone means UTC, an empty
// Language "en". A login that is stored already is refused.
func (a *App) AddUser(ctx context.Context, u User, password string) error {
	if u.Login == "" || !u.Kind.Known() {
		return fmt.Errorf("helpdesk: add user %q: login and kind are required", u.Login)
	}
	if u.TimeZone == "" {
		u.TimeZone = "UTC"
	}
	if _, err := a.location(u.TimeZone); err != nil {
		return fmt.Errorf("helpdesk: add user %q: %w", u.Login, err)
	}
	if u.Language == "" {
		u.Language = "en"
	}
	if u.Groups == nil {
		u.Groups = map[string][]string{}
	}
	groups, err := json.Marshal(u.Groups)
	if err != nil {
		return fmt.Errorf("helpdesk: add user %q: %w", u.Login, err)
	}
	hash, err := hashPassword(password, a.iterations)
	if err != nil {
		return fmt.Errorf("helpdesk: add user %q: %w", u.Login, err)
	}
	db := a.db.SQL
	res, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO helpdesk_users
		(login, full_name, kind, password_hash, groups_json, time_zone, language)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING`),
		u.Login, u.FullName, int64(u.Kind), hash, string(groups), u.TimeZone, u.Language)
	if err != nil {
		return fmt.Errorf("helpdesk: add user %q: %w", u.Login, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("helpdesk: add user %q: %w", u.Login, errUserExists)
	}
	return nil
}

// Seed creates the demo users that are missing (an admin agent with rw on
// the group admin, a plain agent and a customer) and returns every demo
// login with its demo password. Seeding twice creates nothing the second
// time.
func (a *App) Seed(ctx context.Context) (map[string]string, error) {
	out := make(map[string]string, len(demoUsers))
	for _, d := range demoUsers {
		out[d.user.Login] = d.password
		_, err := a.user(ctx, d.user.Login)
		if err == nil {
			continue
		}
		if !errors.Is(err, errNoUser) {
			return nil, err
		}
		err = a.AddUser(ctx, d.user, d.password)
		if errors.Is(err, errUserExists) {
			continue // another instance seeded it meanwhile
		}
		if err != nil {
			return nil, err
		}
		a.log.Info("helpdesk: seeded user", "login", d.user.Login, "kind", d.user.Kind)
	}
	return out, nil
}

// user returns the user with the given login, or an error wrapping
// errNoUser.
func (a *App) user(ctx context.Context, login string) (User, error) {
	r, err := a.userRow(ctx, login)
	if err != nil {
		return User{}, err
	}
	return r.user()
}

func (a *App) userRow(ctx context.Context, login string) (userRow, error) {
	db := a.db.SQL
	var r userRow
	err := db.GetContext(ctx, &r, db.Rebind(`SELECT login, full_name, kind, password_hash,
		groups_json, time_zone, language FROM helpdesk_users WHERE login = ?`), login)
	if errors.Is(err, sql.ErrNoRows) {
		return userRow{}, fmt.Errorf("helpdesk: user %q: %w", login, errNoUser)
	}
	if err != nil {
		return userRow{}, fmt.Errorf("helpdesk: user %q: %w", login, err)
	}
	return r, nil
}

// authenticate checks login and password for a user of the given kind. It
// has no side effects: it records nothing, so the maintenance login rule can
// be applied before anything about the login is written. A wrong password, an
// unknown login and a user of the other kind all give errNoUser, after the
// same amount of hashing work.
func (a *App) authenticate(ctx context.Context, kind session.Kind, login, password string) (User, error) {
	r, err := a.userRow(ctx, login)
	switch {
	case errors.Is(err, errNoUser):
		// Spend the same time as for a real user, so timing does not
		// tell which logins exist.
		checkPassword(a.dummyHash, password)
		return User{}, err
	case err != nil:
		return User{}, err
	}
	ok := checkPassword(r.PasswordHash, password)
	if !ok || session.Kind(r.Kind) != kind {
		return User{}, fmt.Errorf("helpdesk: login %q: %w", login, errNoUser)
	}
	return r.user()
}

// hashPassword returns "pbkdf2-sha256$ITER$SALT$KEY" (base64 without
// padding). The iteration count is stored with the hash, so changing the
// configured count does not lock anyone out.
func hashPassword(password string, iter int) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return "pbkdf2-sha256$" + strconv.Itoa(iter) + "$" + enc.EncodeToString(salt) + "$" +
		enc.EncodeToString(key), nil
}

// checkPassword reports whether password matches hash, in constant time.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// leadSetting is the name of the stored lead time in helpdesk_settings.
const leadSetting = "SystemMaintenance::TimeNotifyUpcomingMaintenance"

// storedLead returns the lead time saved on the admin screen, if any.
func (a *App) storedLead(ctx context.Context) (time.Duration, bool, error) {
	db := a.db.SQL
	var v string
	err := db.GetContext(ctx, &v, db.Rebind(`SELECT value FROM helpdesk_settings WHERE name = ?`), leadSetting)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("helpdesk: read lead time: %w", err)
	}
	min, err := strconv.ParseInt(v, 10, 64)
	if err != nil || min < 0 {
		return 0, false, nil
	}
	return time.Duration(min) * time.Minute, true, nil
}

// saveLead stores the lead time, in whole minutes: adminui's
// Options.SaveLead.
func (a *App) saveLead(ctx context.Context, lead time.Duration) error {
	db := a.db.SQL
	_, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO helpdesk_settings (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`), leadSetting, strconv.FormatInt(int64(lead/time.Minute), 10))
	if err != nil {
		return fmt.Errorf("helpdesk: save lead time: %w", err)
	}
	return nil
}
