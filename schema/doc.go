// Package schema knows what a valid Open Badges 3.0 credential looks like without
// the network: it embeds the official 1EdTech OB 3.0 JSON Schemas, the CLR 2.0
// ClrCredential schema, and every JSON-LD context a credential needs,
// byte-exact and SHA-256 pinned.
// It serves those contexts to json-gold through an offline [Loader] and checks
// documents against the schemas with a [Validator] whose problems carry JSON
// pointers. The Open Badges 2.0 context is embedded too, at both URLs OB 2.0
// documents name, so legacy badges are read with the same offline Loader. Start with NewLoader (for JSON-LD processing) and NewValidator
// (for schema checks); most callers use them through packages credential and
// verify.
package schema
