package issuer

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// countingSigner counts the signatures made with its key.
type countingSigner struct {
	crypto.Signer
	n *atomic.Int64
}

func (s countingSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.n.Add(1)
	return s.Signer.Sign(rand, digest, opts)
}

// problemsOf returns the pointers and rules of the *credential.ValidationError
// err wraps.
func problemsOf(t *testing.T, err error) [][2]string {
	t.Helper()
	var ve *credential.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v does not wrap a *credential.ValidationError", err)
	}
	var out [][2]string
	for _, p := range ve.Problems {
		out = append(out, [2]string{p.Pointer, p.Rule})
	}
	return out
}

// TestEndorseChecksBeforeSigning: an endorsement whose validity period
// ends before it begins, which the VC Data Model forbids, is not signed.
func TestEndorseChecksBeforeSigning(t *testing.T) {
	var signs atomic.Int64
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, 32))
	did, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	k, err := keys.NewKey(vm, did, countingSigner{key, &signs})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Endorse(context.Background(), &Endorsement{Endorser: &credential.Profile{ID: did, Name: "Accreditor"}, Key: k,
		SubjectID: "https://example.edu/achievements/award", Name: "Accredited", Comment: "Meets the standard.",
		ValidFrom: t0, ValidUntil: t0.Add(-time.Hour)})
	if diff := cmp.Diff([][2]string{{"/validUntil", "vcdm/validity-period"}}, problemsOf(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if n := signs.Load(); n != 0 {
		t.Errorf("%d signatures made for a refused endorsement", n)
	}
}

// TestIssueChecksBeforeSigning: a credential that would embed an
// endorsement the VC Data Model forbids (made elsewhere: Endorse refuses
// to make it) is not signed, and nothing is recorded for the award.
func TestIssueChecksBeforeSigning(t *testing.T) {
	ctx := context.Background()
	// The endorser signs its own, broken, endorsement.
	ekey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, 32))
	edid, _ := keys.DIDKey(ekey.Public())
	evm, _ := keys.DIDKeyVerificationMethod(ekey.Public())
	ec, err := credential.NewEndorsementCredential(&credential.Profile{ID: edid, Name: "Accreditor"}, "https://example.edu/achievements/award", "Accredited", "Meets the standard.")
	if err != nil {
		t.Fatal(err)
	}
	ec.ValidFrom, ec.ValidUntil = credential.NewDateTime(t0), credential.NewDateTime(t0.Add(-time.Hour))
	doc, err := credential.Marshal(ec)
	if err != nil {
		t.Fatal(err)
	}
	endorsement, err := (&dataintegrity.Signer{Key: ekey, VerificationMethod: evm}).Sign(ctx, doc, &dataintegrity.ProofOptions{Created: t0})
	if err != nil {
		t.Fatal(err)
	}

	var signs atomic.Int64
	is, _ := testIssuer(t, func(c *Config) {
		key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32)) // testIssuer's
		did, _ := keys.DIDKey(key.Public())
		vm, _ := keys.DIDKeyVerificationMethod(key.Public())
		k, err := keys.NewKey(vm, did, countingSigner{key, &signs})
		if err != nil {
			t.Fatal(err)
		}
		store := &keys.MemoryStore{}
		if err := store.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
		c.Keys = store
		c.Achievements[0].Endorsements = [][]byte{endorsement}
	})
	_, err = is.Issue(ctx, submission("award"))
	if diff := cmp.Diff([][2]string{{"/endorsement/0/validUntil", "vcdm/validity-period"}}, problemsOf(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if n := signs.Load(); n != 0 {
		t.Errorf("%d signatures made for a refused credential", n)
	}
	if rec, err := is.Records().Get(ctx, AwardKey(is.cfg.Issuer.ID, "https://example.edu/achievements/award", submission("award").Learner)); !errors.Is(err, ErrRecordNotFound) {
		t.Errorf("a record for the refused award: %+v, %v", rec, err)
	}
}
