package schema

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// embedded holds every context and schema file, byte-exact as published.
// contexts/README.md and jsonschema/README.md name the source of each file.
//
//go:embed contexts/*.json contexts/*.jsonld jsonschema/*.json jsonschema/purl-reconstructed/*.json
var embedded embed.FS

// URLs of the Open Badges 3.0 JSON Schemas as issuers name them in a
// credential's credentialSchema property. A [Validator] accepts each of them.
const (
	AchievementCredentialSchemaURL           = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
	EndorsementCredentialSchemaURL           = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
	ProfileSchemaURL                         = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json"
	GetOpenBadgeCredentialsResponseSchemaURL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_getopenbadgecredentialsresponse_schema.json"
	IMSXStatusInfoSchemaURL                  = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo_schema.json"
)

// ClrCredentialSchemaURL is the URL of the Comprehensive Learner Record 2.0
// JSON Schema of a ClrCredential (VCDM 2.0), as issuers name it in
// credentialSchema; it is also the schema's $id. A [Validator] accepts it.
const ClrCredentialSchemaURL = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"

// ob303ContextURL is the URL of the Open Badges 3.0.3 context, served from one
// of two embedded files; see [LoaderOptions].PublishedOB303.
const ob303ContextURL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

// A FileKind says what an embedded file is and how it is served.
type FileKind int

const (
	// KindContext is a JSON-LD context that every [Loader] serves at its URL.
	KindContext FileKind = iota + 1
	// KindAlternateContext is a JSON-LD context served at its URL only when a
	// [LoaderOptions] field selects it instead of the KindContext file listed
	// with the same URL.
	KindAlternateContext
	// KindSchema is a JSON Schema that every [Validator] accepts at its URL.
	KindSchema
)

// String returns the name of the kind, such as "context".
func (k FileKind) String() string {
	switch k {
	case KindContext:
		return "context"
	case KindAlternateContext:
		return "alternate context"
	case KindSchema:
		return "schema"
	}
	return fmt.Sprintf("FileKind(%d)", int(k))
}

// A File is one row of the table of embedded files: a URL, the embedded file
// served at that URL, and the SHA-256 of that file's bytes.
//
// A file served at several URLs (a JSON Schema known by its purl URL and by
// its $id) has one row per URL. The two copies of the Open Badges 3.0.3
// context share one URL; see [LoaderOptions].PublishedOB303.
type File struct {
	// URL is the URL the file is served at, matched exactly.
	URL string
	// Name is the file's path in the package, such as
	// "contexts/credentials-v2.jsonld".
	Name string
	// SHA256 is the lowercase hex SHA-256 of the file's bytes.
	SHA256 string
	// Kind says what the file is and how it is served.
	Kind FileKind
}

// files is the table of embedded files. Loader and Validator verify each
// file against its SHA256 when they are built.
var files = [...]File{
	{"https://www.w3.org/ns/credentials/v2", "contexts/credentials-v2.jsonld", "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734", KindContext},
	{"https://www.w3.org/2018/credentials/v1", "contexts/credentials-v1.jsonld", "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc", KindContext},
	{"https://www.w3.org/ns/credentials/examples/v2", "contexts/credentials-examples-v2.jsonld", "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c", KindContext},
	{"https://www.w3.org/2018/credentials/examples/v1", "contexts/credentials-examples-v1.jsonld", "2070ae4e75bc3b4c2cfe2b8b6e86ec45119672bbb5da283f0399ea96c60a0104", KindContext},
	{"https://www.w3.org/ns/credentials/undefined-terms/v2", "contexts/credentials-undefined-terms-v2.jsonld", "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581", KindContext},
	{"https://w3id.org/security/data-integrity/v2", "contexts/data-integrity-v2.jsonld", "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4", KindContext},
	{"https://w3id.org/security/data-integrity/v1", "contexts/data-integrity-v1.jsonld", "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554", KindContext},
	{"https://w3id.org/security/multikey/v1", "contexts/multikey-v1.jsonld", "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597", KindContext},
	{"https://w3id.org/security/jwk/v1", "contexts/jwk-v1.jsonld", "0f14b62f6071aafe00df265770ea0c7508e118247d79b7d861a406d2aa00bece", KindContext},
	{"https://w3id.org/security/suites/ed25519-2020/v1", "contexts/ed25519-2020-v1.jsonld", "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588", KindContext},
	{"https://www.w3.org/ns/did/v1", "contexts/did-v1.jsonld", "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da", KindContext},
	{"https://www.w3.org/ns/credentials/status/v1", "contexts/vc-bitstring-status-list-v1.jsonld", "fd08cbf28ddd829ab2f1978c48f43ab07a112c1c90245a0cfac7ba721c65170c", KindContext},
	{"https://w3id.org/vc/status-list/2021/v1", "contexts/vc-status-list-2021-v1.jsonld", "634d71c159289f068c96012e4511c657fdf82ac4231900081bda3ba24e2e1160", KindContext},
	{"https://w3id.org/security/v1", "contexts/security-v1.jsonld", "abaf97e107d1925503c433dcaf3ffd2831697cacc1ed2a293e1bc8030d5bcb47", KindContext},
	{"https://w3id.org/security/v2", "contexts/security-v2.jsonld", "611bd81151d5efe53ec9aed78f5a813e577287bc9451ee26d6879b1b8b46bc3b", KindContext},
	{"https://w3id.org/citizenship/v4rc1", "contexts/citizenship-v4rc1.jsonld", "3edaa0fef94223eeb863d71ebd550c45d74143db14911d606f36d579d2dd46af", KindContext},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context.json", "contexts/ob-v3p0-context.json", "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10", KindContext},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", "contexts/ob-v3p0-context-3.0.1.json", "d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355", KindContext},
	{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", "contexts/ob-v3p0-context-3.0.2.json", "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53", KindContext},
	{ob303ContextURL, "contexts/ob-v3p0-context-3.0.3.validator-bundled.json", "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84", KindContext},
	{ob303ContextURL, "contexts/ob-v3p0-context-3.0.3.json", "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761", KindAlternateContext},
	{"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", "contexts/ob-v3p0-extensions.json", "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3", KindContext},
	{"https://purl.imsglobal.org/spec/clr/v2p0/context.json", "contexts/clr-v2p0-context.json", "e198d7b517d74c5036434ce495086f67b10244709e9a3df9dcb7f8b1579b6167", KindContext},
	{"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", "contexts/clr-v2p0-context-2.0.1.json", "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6", KindContext},
	// Open Badges 2.0 (not a Verifiable Credential), for reading legacy
	// badges: w3id.org redirects to openbadgespec.org, and documents name
	// either URL.
	{"https://w3id.org/openbadges/v2", "contexts/ob-v2p0-context.json", "3c0c25a0e581c64cbe632197377c4f334c6c0b95f0d90e3b74449781612b153d", KindContext},
	{"https://openbadgespec.org/v2/context.json", "contexts/ob-v2p0-context.json", "3c0c25a0e581c64cbe632197377c4f334c6c0b95f0d90e3b74449781612b153d", KindContext},

	// JSON Schemas. For each of the five schemas there are two files: the
	// gh-pages copy, known by its own $id (…-jsonschema1.json), and the file
	// behind the purl URL that issuers put in credentialSchema, whose $id is
	// the same URL under /json-ld/ instead of /json/. The first row naming a
	// file is the URL the Validator compiles it at; later rows are aliases.
	{AchievementCredentialSchemaURL, "jsonschema/ob_v3p0_achievementcredential_schema.json", "86a141ff0c1b1a6b4e08460f786a8ffe0f737d8256a86243d134a2e6450efe4d", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json", "jsonschema/ob_v3p0_achievementcredential_schema.json", "86a141ff0c1b1a6b4e08460f786a8ffe0f737d8256a86243d134a2e6450efe4d", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json", "jsonschema/achievementcredential.json", "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a", KindSchema},

	{EndorsementCredentialSchemaURL, "jsonschema/purl-reconstructed/ob_v3p0_endorsementcredential_schema.json", "3376c286d4df972bd1c3b17334fa53ae5af4a144829911174e1feca098199672", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_endorsementcredential_schema.json", "jsonschema/purl-reconstructed/ob_v3p0_endorsementcredential_schema.json", "3376c286d4df972bd1c3b17334fa53ae5af4a144829911174e1feca098199672", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json", "jsonschema/endorsementcredential.json", "4627e1878848d0192c3f9e26f09ef88a96ad48a46f5fca11b80b679ece0de345", KindSchema},

	{ProfileSchemaURL, "jsonschema/purl-reconstructed/ob_v3p0_profile_schema.json", "104d86af5f5399075396c95649ac8d754dfd36fb27e16e8ee60f1e1305b576e1", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_profile_schema.json", "jsonschema/purl-reconstructed/ob_v3p0_profile_schema.json", "104d86af5f5399075396c95649ac8d754dfd36fb27e16e8ee60f1e1305b576e1", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile-jsonschema1.json", "jsonschema/profile.json", "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164", KindSchema},

	{GetOpenBadgeCredentialsResponseSchemaURL, "jsonschema/purl-reconstructed/ob_v3p0_getopenbadgecredentialsresponse_schema.json", "f464def6544ff6d4add833a121d36fa2c8762f4bb7043e97af7881700567b023", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_getopenbadgecredentialsresponse_schema.json", "jsonschema/purl-reconstructed/ob_v3p0_getopenbadgecredentialsresponse_schema.json", "f464def6544ff6d4add833a121d36fa2c8762f4bb7043e97af7881700567b023", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_getopenbadgecredentialsresponse-jsonschema1.json", "jsonschema/getopenbadgecredentialsresponse.json", "37fd69152b5ad8df481fc3c25a8f56f6af9020d873f9937c2b617f5b4b42bf6a", KindSchema},

	{IMSXStatusInfoSchemaURL, "jsonschema/purl-reconstructed/ob_v3p0_imsx_statusinfo_schema.json", "c6e276cd84c634b83e10e305f5d93518f0cad6f7a21e3f62af1ac3bed0aa4523", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_imsx_statusinfo_schema.json", "jsonschema/purl-reconstructed/ob_v3p0_imsx_statusinfo_schema.json", "c6e276cd84c634b83e10e305f5d93518f0cad6f7a21e3f62af1ac3bed0aa4523", KindSchema},
	{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo-jsonschema1.json", "jsonschema/imsx_statusinfo.json", "5e0c865c697f6662c29abe9e623981f2d78823d16646c1479c959b3d84aaf569", KindSchema},

	// CLR 2.0: one file, whose $id is its purl URL.
	{ClrCredentialSchemaURL, "jsonschema/clr_v2p0_clrcredential_schema.json", "59d778659204b0bd593e9e2ab1683fb6f688e339885c44019f606ed6feb4caee", KindSchema},
}

// Files returns the table of embedded files: every URL this package serves
// without the network, the embedded file behind it and that file's pinned
// SHA-256. The result is a fresh copy that the caller may modify.
func Files() []File {
	return append([]File(nil), files[:]...)
}

// readVerified returns the bytes of the embedded file f.Name after checking
// them against f.SHA256.
func readVerified(f File) ([]byte, error) {
	b, err := fs.ReadFile(embedded, f.Name)
	if err != nil {
		return nil, fmt.Errorf("schema: reading embedded %s: %w", f.Name, err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
		return nil, fmt.Errorf("schema: embedded %s has SHA-256 %s, want %s", f.Name, got, f.SHA256)
	}
	return b, nil
}
