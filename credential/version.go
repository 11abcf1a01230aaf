package credential

import (
	"errors"
	"fmt"
	"regexp"
)

// Context URLs and type names this package writes and checks.
const (
	// ContextVCDM20 is the W3C Verifiable Credentials Data Model 2.0 context,
	// the first @context entry of every OB 3.0 credential.
	ContextVCDM20 = "https://www.w3.org/ns/credentials/v2"
	// ContextVCDM11 is the VCDM 1.1 context of legacy credentials.
	ContextVCDM11 = "https://www.w3.org/2018/credentials/v1"
	// ContextOB is the OB 3.0 context the final spec requires second.
	ContextOB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	// ContextOBExtensions defines the 1EdTech types 1EdTechJsonSchemaValidator2019,
	// 1EdTechRevocationList and 1EdTechCredentialRefresh.
	ContextOBExtensions = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"

	// JSONSchemaValidator2019 is the credentialSchema type for 1EdTech JSON
	// Schemas.
	JSONSchemaValidator2019 = "1EdTechJsonSchemaValidator2019"
)

// obContext matches every published OB 3.0 context URL: context.json (3.0.0,
// the VCDM 1.1 era) and context-3.x.y.json.
var obContext = regexp.MustCompile(`^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d+\.\d+)?\.json$`)

// extensionTypes are the types only ContextOBExtensions defines.
var extensionTypes = []string{JSONSchemaValidator2019, "1EdTechRevocationList", "1EdTechCredentialRefresh"}

// Version is the version of the W3C Verifiable Credentials Data Model a
// credential is written in.
type Version int

// The versions a credential can be in.
const (
	VersionUnknown Version = iota // neither base context, or both
	VCDM11                        // https://www.w3.org/2018/credentials/v1: legacy, read and reported
	VCDM20                        // https://www.w3.org/ns/credentials/v2: what OB 3.0 requires
)

func (v Version) String() string {
	switch v {
	case VCDM11:
		return "VCDM 1.1"
	case VCDM20:
		return "VCDM 2.0"
	}
	return "unknown VCDM version"
}

// ErrMixedVersions is wrapped by decoding errors for a document that mixes
// VCDM 1.1 and 2.0: both base contexts, or the 2.0 context with the 1.1
// properties issuanceDate or expirationDate (which 2.0 does not define).
var ErrMixedVersions = errors.New("document mixes VCDM 1.1 and VCDM 2.0")

// Version reports which data model version the credential's @context
// declares, or VersionUnknown when it declares neither or mixes them.
func (c *VerifiableCredential) Version() Version {
	v, err := c.version()
	if err != nil {
		return VersionUnknown
	}
	return v
}

func (c *VerifiableCredential) version() (Version, error) {
	v2, v1 := c.Context.Has(ContextVCDM20), c.Context.Has(ContextVCDM11)
	switch {
	case v1 && v2:
		return VersionUnknown, fmt.Errorf("%w: @context has both %s and %s", ErrMixedVersions, ContextVCDM11, ContextVCDM20)
	case v2 && c.IssuanceDate != "":
		return VersionUnknown, fmt.Errorf("%w: issuanceDate is VCDM 1.1; VCDM 2.0 uses validFrom", ErrMixedVersions)
	case v2 && c.ExpirationDate != "":
		return VersionUnknown, fmt.Errorf("%w: expirationDate is VCDM 1.1; VCDM 2.0 uses validUntil", ErrMixedVersions)
	case v2:
		return VCDM20, nil
	case v1:
		return VCDM11, nil
	}
	return VersionUnknown, nil
}
