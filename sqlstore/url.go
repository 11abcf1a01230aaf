package sqlstore

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	// also the "sqlite" database/sql driver
)

// parseURL returns the dialect of a database URL, and what its driver
// opens: an absolute file name for SQLite, the URL for PostgreSQL.
func parseURL(raw string) (Dialect, string, error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	switch {
	case !ok || scheme == "":
		return "", "", fmt.Errorf("%w: want sqlite:FILE or postgres://…", ErrURL)
	case scheme == "sqlite":
		name := rest
		if strings.HasPrefix(rest, "//") {
			u, err := url.Parse(raw)
			if err != nil {
				return "", "", fmt.Errorf("%w: %w", ErrURL, err)
			}
			if u.Host != "" && u.Host != "localhost" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
				return "", "", fmt.Errorf("%w: %q: a SQLite URL names a local file: sqlite:FILE or sqlite:///ABS/PATH", ErrURL, raw)
			}
			name = u.Path
		}
		switch {
		case name == "":
			return "", "", fmt.Errorf("%w: sqlite: needs a file name: sqlite:FILE", ErrURL)
		case strings.Contains(name, ":memory:") || strings.Contains(name, "mode=memory"):
			return "", "", fmt.Errorf("%w: %q: an in-memory SQLite database is not shared by a pool's connections; use a file, or the issuer's memory stores", ErrURL, raw)
		case strings.ContainsAny(name, "?#\x00"):
			return "", "", fmt.Errorf("%w: %q: a SQLite file name with ?, # or NUL (a URL's parameters are not taken)", ErrURL, raw)
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return "", "", fmt.Errorf("sqlstore: sqlite:%s: %w", name, err)
		}
		return SQLite, abs, nil
	case scheme == "postgres" || scheme == "postgresql":
		if !strings.HasPrefix(rest, "//") {
			return "", "", fmt.Errorf("%w: want postgres://HOST/DATABASE", ErrURL)
		}
		return PostgreSQL, raw, nil
	case scheme == "file" || strings.HasPrefix(scheme, "sqlite"):
		return "", "", fmt.Errorf("%w: scheme %q: want sqlite:FILE", ErrURL, scheme)
	case !schemeRE.MatchString(scheme):
		return "", "", fmt.Errorf("%w: want sqlite:FILE or postgres://…", ErrURL)
	}
	return "", "", fmt.Errorf("%w: scheme %q: want sqlite:FILE or postgres://…", ErrURL, scheme)
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]{0,31}$`)

// Redact returns a database URL fit to print: a password in the URL's user
// information or in its password or sslpassword parameter is replaced by
// "xxxxx". A URL that does not parse is replaced whole.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(a database URL that does not parse)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if q := u.Query(); len(q) > 0 {
		changed := false
		for k := range q {
			switch strings.ToLower(k) {
			case "password", "sslpassword":
				q.Set(k, "xxxxx")
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// parseFailure reports a PostgreSQL URL pgx could not parse. pgx's message
// quotes the URL, redacted as best it can; this one says why without the
// URL, and without anything that looks like a secret in it.
func parseFailure(raw string, err error) error {
	why := "it cannot be parsed"
	inner := errors.Unwrap(err)
	var ue *url.Error
	if errors.As(inner, &ue) {
		inner = ue.Err
	}
	if inner != nil {
		why = inner.Error()
	}
	for _, secret := range secrets(raw) {
		if strings.Contains(why, secret) {
			why = "it cannot be parsed"
		}
	}
	return fmt.Errorf("%w: %s: %s", ErrURL, Redact(raw), why)
}

// secrets returns what may be a password in a URL, even one that does not
// parse: the user information, and the values of password parameters.
func secrets(raw string) []string {
	var out []string
	if _, rest, ok := strings.Cut(raw, "://"); ok {
		authority := rest
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			authority = rest[:i]
		}
		if i := strings.LastIndex(authority, "@"); i > 0 {
			out = append(out, authority[:i])
			if _, pw, ok := strings.Cut(authority[:i], ":"); ok && pw != "" {
				out = append(out, pw)
			}
		}
	}
	if _, query, ok := strings.Cut(raw, "?"); ok {
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if k = strings.ToLower(k); (k == "password" || k == "sslpassword") && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
