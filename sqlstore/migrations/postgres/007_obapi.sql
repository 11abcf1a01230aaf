-- What package obapi, the Open Badges 3.0 API of a host, keeps.
-- Its authorization server's clients, codes and tokens: one row per key (a
-- kind and a hash, never a usable code, token or secret), its value, and
-- when it expires, in Unix nanoseconds, as openbadges_oid4vci.
CREATE TABLE openbadges_obapi_tokens (
	id      TEXT NOT NULL PRIMARY KEY,
	value   BYTEA NOT NULL,
	expires BIGINT NOT NULL
);
CREATE INDEX openbadges_obapi_tokens_expires ON openbadges_obapi_tokens (expires);
-- Each user's credentials, as upserted (JSON, or a compact JWS when jws is
-- true), known by their key (issuer and id, or a hash), with when they were
-- issued in Unix nanoseconds, for getCredentials' order and since.
CREATE TABLE openbadges_obapi_credentials (
	user_id  TEXT NOT NULL,
	cred_key TEXT NOT NULL,
	jws      BOOLEAN NOT NULL,
	data     BYTEA NOT NULL,
	issued   BIGINT NOT NULL,
	PRIMARY KEY (user_id, cred_key)
);
CREATE INDEX openbadges_obapi_credentials_issued ON openbadges_obapi_credentials (user_id, issued, cred_key);
-- Each user's profile JSON.
CREATE TABLE openbadges_obapi_profiles (
	user_id TEXT NOT NULL PRIMARY KEY,
	data    BYTEA NOT NULL
);
