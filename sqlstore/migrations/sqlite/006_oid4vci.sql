-- What package oid4vci hands out and takes back (offers, codes, access
-- tokens, deferred transactions, used-up nonces), shared by the instances
-- of an issuer: one row per key (a kind and a hash, never a usable code
-- or token), its value as oid4vci gave it, and when it expires, in Unix
-- nanoseconds. An expired row is never read, and is swept by its index.
CREATE TABLE openbadges_oid4vci (
	id      TEXT NOT NULL PRIMARY KEY,
	value   BLOB NOT NULL,
	expires INTEGER NOT NULL
) STRICT;
CREATE INDEX openbadges_oid4vci_expires ON openbadges_oid4vci (expires);
