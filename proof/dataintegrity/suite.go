package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"

	"github.com/go-openbadges/openbadges/internal/signature"
)

// The cryptosuites this package knows, by the names proofs carry.
const (
	// EdDSARDFC2022 is eddsa-rdfc-2022: Ed25519 over RDFC-1.0 canonical
	// N-Quads hashed with SHA-256. Open Badges 3.0 requires it.
	EdDSARDFC2022 = "eddsa-rdfc-2022"
	// EdDSAJCS2022 is eddsa-jcs-2022: Ed25519 over the JSON Canonicalization
	// Scheme (RFC 8785) form hashed with SHA-256.
	EdDSAJCS2022 = "eddsa-jcs-2022"
	// ECDSARDFC2019 is ecdsa-rdfc-2019: ECDSA over RDFC-1.0 canonical
	// N-Quads, P-256 with SHA-256 or P-384 with SHA-384.
	ECDSARDFC2019 = "ecdsa-rdfc-2019"
	// ECDSAJCS2019 is ecdsa-jcs-2019: ECDSA over the JCS form, P-256 with
	// SHA-256 or P-384 with SHA-384.
	ECDSAJCS2019 = "ecdsa-jcs-2019"
	// EdDSA2022 is eddsa-2022, the name eddsa-rdfc-2022 had in drafts
	// before 2023. Proofs carrying it are verified as eddsa-rdfc-2022; none
	// are created.
	EdDSA2022 = "eddsa-2022"
)

// The proof types this package knows.
const (
	// TypeDataIntegrityProof is the proof type of every cryptosuite above.
	TypeDataIntegrityProof = "DataIntegrityProof"
	// TypeEd25519Signature2020 is the legacy Ed25519 proof type, verified
	// only: Ed25519 over URDNA2015 (RDFC-1.0) N-Quads hashed with SHA-256,
	// with no cryptosuite property.
	TypeEd25519Signature2020 = "Ed25519Signature2020"
)

// ErrUnsupportedSuite is wrapped by the error of a proof whose type or
// cryptosuite this package does not implement, and of a signing request for
// one it only verifies.
var ErrUnsupportedSuite = errors.New("dataintegrity: unsupported proof type or cryptosuite")

// ErrKeyType is wrapped when a key does not suit the cryptosuite: an ECDSA
// key for an EdDSA suite, a P-521 key, an RSA key.
var ErrKeyType = errors.New("dataintegrity: the key does not suit the cryptosuite")

// canonKind is how a suite turns a document into bytes.
type canonKind int

const (
	canonRDFC canonKind = iota + 1 // RDFC-1.0 canonical N-Quads
	canonJCS                       // RFC 8785
)

// suite is one proof type and cryptosuite pair.
type suite struct {
	proofType   string
	cryptosuite string
	canon       canonKind
	ecdsa       bool // ECDSA (P-256/P-384), else Ed25519
	signOK      bool // we create proofs with it
}

var suites = []suite{
	{TypeDataIntegrityProof, EdDSARDFC2022, canonRDFC, false, true},
	{TypeDataIntegrityProof, EdDSAJCS2022, canonJCS, false, true},
	{TypeDataIntegrityProof, ECDSARDFC2019, canonRDFC, true, true},
	{TypeDataIntegrityProof, ECDSAJCS2019, canonJCS, true, true},
	{TypeDataIntegrityProof, EdDSA2022, canonRDFC, false, false},
	{TypeEd25519Signature2020, "", canonRDFC, false, false},
}

// suiteFor returns the suite of a proof's type and cryptosuite.
func suiteFor(proofType, cryptosuite string) (*suite, error) {
	for i := range suites {
		s := &suites[i]
		if s.proofType == proofType && s.cryptosuite == cryptosuite {
			return s, nil
		}
	}
	switch {
	case proofType == TypeDataIntegrityProof && cryptosuite == "":
		return nil, fmt.Errorf("%w: a DataIntegrityProof without a cryptosuite", ErrUnsupportedSuite)
	case proofType == TypeDataIntegrityProof:
		return nil, fmt.Errorf("%w: cryptosuite %q", ErrUnsupportedSuite, cryptosuite)
	default:
		return nil, fmt.Errorf("%w: proof type %q", ErrUnsupportedSuite, proofType)
	}
}

// name is how errors and results name the suite.
func (s *suite) name() string {
	if s.cryptosuite != "" {
		return s.cryptosuite
	}
	return s.proofType
}

// hashFor returns the hash the suite uses with pub: SHA-384 for P-384
// ECDSA keys, SHA-256 otherwise. It checks that the key suits the suite.
func (s *suite) hashFor(pub crypto.PublicKey) (crypto.Hash, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if s.ecdsa {
			return 0, fmt.Errorf("%w: %s needs a P-256 or P-384 key, not Ed25519", ErrKeyType, s.name())
		}
		return crypto.SHA256, nil
	case *ecdsa.PublicKey:
		if !s.ecdsa {
			return 0, fmt.Errorf("%w: %s needs an Ed25519 key, not ECDSA", ErrKeyType, s.name())
		}
		switch k.Curve {
		case elliptic.P256():
			return crypto.SHA256, nil
		case elliptic.P384():
			return crypto.SHA384, nil
		}
		return 0, fmt.Errorf("%w: %s needs a P-256 or P-384 key, not %s", ErrKeyType, s.name(), k.Curve.Params().Name)
	default:
		return 0, fmt.Errorf("%w: %s cannot use a %T", ErrKeyType, s.name(), pub)
	}
}

func newHash(h crypto.Hash) hash.Hash {
	if h == crypto.SHA384 {
		return sha512.New384()
	}
	return sha256.New()
}

func digest(h crypto.Hash, data []byte) []byte { return signature.Digest(h, data) }

// sign signs hashData with signer, whose public key is pub: Ed25519 signs
// it as it is; ECDSA signs its hash (SHA-256 for P-256, SHA-384 for P-384)
// and returns r‖s, each padded to the curve's size (IEEE P1363), which the
// ECDSA cryptosuites use rather than DER. A keys.ContextSigner is given
// ctx.
func sign(ctx context.Context, signer crypto.Signer, pub crypto.PublicKey, h crypto.Hash, hashData []byte) ([]byte, error) {
	if _, ok := pub.(ed25519.PublicKey); ok {
		h = 0
	}
	sig, err := signature.Sign(ctx, signer, pub, h, hashData)
	if err != nil {
		if errors.Is(err, signature.ErrKeyType) {
			return nil, fmt.Errorf("%w: %w", ErrKeyType, err)
		}
		return nil, fmt.Errorf("dataintegrity: signing: %w", err)
	}
	return sig, nil
}

// verifySignature checks sig over hashData with pub.
func verifySignature(pub crypto.PublicKey, h crypto.Hash, hashData, sig []byte) bool {
	if _, ok := pub.(ed25519.PublicKey); ok {
		h = 0
	}
	return signature.Verify(pub, h, hashData, sig)
}
