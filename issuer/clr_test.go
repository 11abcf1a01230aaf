package issuer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

// publishedTrust publishes what is issuer's verifiers need into a
// folder, and returns a Trust holding it: the did:web document and the
// status list, as an institution serves them.
func publishedTrust(t testing.TB, is *issuer.Issuer) *verify.Trust {
	t.Helper()
	dir := t.TempDir()
	pub, err := is.Publish(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile(filepath.Join(dir, pub.Map))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := verify.ParseDocumentMap(m, dir)
	if err != nil {
		t.Fatal(err)
	}
	return &verify.Trust{Documents: docs}
}

// TestCLR: a learner's record from the issuer's records, on a did:web
// issuer with the real clock: every issued credential embedded byte for
// byte, the pathways' associations, signed in each format, and verified
// (each credential inside too) with what the issuer publishes.
func TestCLR(t *testing.T) {
	ctx := context.Background()
	for _, f := range []issuer.Formats{issuer.FormatDataIntegrity, issuer.FormatBoth} {
		is := pwIssuer(t, func(c *issuer.Config) { c.Formats = f; c.Validity = 24 * time.Hour })
		for _, id := range []string{pwA, pwB, pwC} {
			if _, err := is.Issue(ctx, completed(id, ada)); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := is.LearnerRecords(ctx, ada)
		if err != nil || len(recs) != 5 {
			t.Fatalf("records: %d, %v", len(recs), err)
		}
		out, err := is.CLR(ctx, ada, &issuer.CLROptions{Name: "Transcript", Description: "Ada's record."})
		if err != nil {
			t.Fatalf("formats %d: %v", f, err)
		}
		var ids []string
		for _, r := range recs {
			ids = append(ids, r.CredentialID)
			if !bytes.Contains(out.Credential, r.Credential) {
				t.Errorf("the credential of %s is not embedded byte for byte", r.AchievementID)
			}
		}
		if d := cmp.Diff(ids, out.Embedded); d != "" {
			t.Errorf("embedded (-want +got):\n%s", d)
		}
		c, err := credential.ParseClrCredential(out.Credential, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "Transcript" || c.Description != "Ada's record." || len(c.CredentialSubject.Achievement) != 0 || c.Partial != nil {
			t.Errorf("record: %q %q, achievements %+v, partial %v", c.Name, c.Description, c.CredentialSubject.Achievement, c.Partial)
		}
		if len(c.CredentialSubject.Identifier) != 1 || !c.CredentialSubject.Identifier[0].Hashed {
			t.Errorf("the learner is not named by a hashed email address: %+v", c.CredentialSubject.Identifier)
		}
		var assoc []string
		for _, a := range c.CredentialSubject.Association {
			assoc = append(assoc, a.SourceID+" "+string(a.AssociationType)+" "+a.TargetID)
		}
		want := []string{pwA + " isPartOf " + pwCert, pwB + " isPartOf " + pwCert, pwA + " precedes " + pwB, pwCert + " isPartOf " + pwProgram, pwC + " isPartOf " + pwProgram}
		if d := cmp.Diff(want, assoc); d != "" {
			t.Errorf("associations (-want +got):\n%s", d)
		}
		trust := publishedTrust(t, is)
		inputs := [][]byte{out.Credential}
		if f == issuer.FormatBoth {
			inputs = append(inputs, []byte(out.JWT))
		}
		for _, in := range inputs {
			rep, err := verify.Verify(ctx, in, trust, nil)
			if err != nil || !rep.Verified || rep.Class != verify.ClassClr || len(rep.Credentials) != 5 {
				t.Fatalf("formats %d: %v\n%s", f, err, rep)
			}
			for k, inner := range rep.Credentials {
				if !inner.Verified || inner.Check(verify.CheckStatus).Outcome != verify.Passed {
					t.Errorf("embedded credential %d: %s", k, inner)
				}
			}
		}
		if out.Report == nil || !out.Report.Verified {
			t.Errorf("self-check report: %v", out.Report)
		}

		// Tampered with, inside: the record no longer verifies.
		bad := bytes.Replace(out.Credential, []byte(`"name":"Course C"`), []byte(`"name":"Course X"`), 1)
		if bytes.Equal(bad, out.Credential) {
			t.Fatal("nothing to tamper with")
		}
		if rep, err := verify.Verify(ctx, bad, trust, nil); err == nil && rep.Verified {
			t.Errorf("a tampered record verifies")
		}
	}

	// A VC-JWT issuer's records keep no credential a CLR can embed.
	is := pwIssuer(t, func(c *issuer.Config) { c.Formats = issuer.FormatJWT })
	if _, err := is.Issue(ctx, completed(pwA, ada)); err != nil {
		t.Fatal(err)
	}
	if _, err := is.CLR(ctx, ada, nil); err == nil || !strings.Contains(err.Error(), "keeps a VC-JWT only") {
		t.Errorf("CLR of a VC-JWT issuer: %v", err)
	}
}

// TestCLRPartial: a learner part way through a program: the record holds
// what was awarded, not what was revoked, and the pathway begun is among
// its achievements, with the associations among what the record holds.
func TestCLRPartial(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	bob := issuer.Learner{ID: "did:example:bob"}
	if _, err := is.CLR(ctx, bob, nil); !errors.Is(err, issuer.ErrNotIssued) {
		t.Errorf("CLR of no credentials: %v", err)
	}
	if _, err := is.CLR(ctx, issuer.Learner{}, nil); !errors.Is(err, issuer.ErrNoRecipient) {
		t.Errorf("CLR of no one: %v", err)
	}
	for _, id := range []string{pwA, pwC} {
		if _, err := is.Issue(ctx, completed(id, bob)); err != nil {
			t.Fatal(err)
		}
	}
	if err := is.Revoke(ctx, is.AwardKey(pwC, bob), "awarded in error"); err != nil {
		t.Fatal(err)
	}
	out, err := is.CLR(ctx, bob, &issuer.CLROptions{Partial: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := credential.ParseClrCredential(out.Credential, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Embedded) != 1 || c.CredentialSubject.ID != bob.ID || c.Partial == nil || !*c.Partial {
		t.Errorf("embedded %q, subject %s, partial %v", out.Embedded, c.CredentialSubject.ID, c.Partial)
	}
	if len(c.CredentialSubject.Achievement) != 1 || c.CredentialSubject.Achievement[0].ID != pwCert {
		t.Errorf("achievements: %+v", c.CredentialSubject.Achievement)
	}
	want := []credential.Association{{Type: "Association", AssociationType: credential.AssociationIsPartOf, SourceID: pwA, TargetID: pwCert}}
	if d := cmp.Diff(want, []credential.Association(c.CredentialSubject.Association)); d != "" {
		t.Errorf("associations (-want +got):\n%s", d)
	}
	rep, err := verify.Verify(ctx, out.Credential, publishedTrust(t, is), nil)
	if err != nil || !rep.Verified {
		t.Errorf("%v\n%s", err, rep)
	}
}

// TestCLRHandedIn: credentials handed in, one from another issuer (a
// did:key, which confirms itself): embedded as received when they verify
// and are the learner's, refused with the reason otherwise.
func TestCLRHandedIn(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	own, err := is.Issue(ctx, completed(pwA, ada))
	if err != nil {
		t.Fatal(err)
	}
	other := pwIssuer(t, func(c *issuer.Config) {
		signer, err := keys.Generate(keys.Ed25519)
		if err != nil {
			t.Fatal(err)
		}
		did, _ := keys.DIDKey(signer.Public())
		vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
		k, err := keys.NewKey(vm, did, signer)
		if err != nil {
			t.Fatal(err)
		}
		store := &keys.MemoryStore{}
		if err := store.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
		c.Issuer = &credential.Profile{ID: did, Name: "Other College"}
		c.Keys, c.Status = store, issuer.StatusConfig{}
		c.Achievements = []issuer.Achievement{{Achievement: pwAchievement(otherB, "Course B"), Evaluator: issuer.Completion{}}}
	})
	theirs, err := other.Issue(ctx, completed(otherB, ada))
	if err != nil {
		t.Fatal(err)
	}
	// Indented as a wallet might keep it: embedded compacted, its proof
	// intact.
	var indented bytes.Buffer
	if err := jsonIndent(&indented, theirs.Credential); err != nil {
		t.Fatal(err)
	}
	out, err := is.CLR(ctx, ada, &issuer.CLROptions{Credentials: [][]byte{own.Credential, indented.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Credential, theirs.Credential) || !bytes.Contains(out.Credential, own.Credential) {
		t.Errorf("a credential handed in is not embedded as signed")
	}
	rep, err := verify.Verify(ctx, out.Credential, publishedTrust(t, is), nil)
	if err != nil || !rep.Verified || len(rep.Credentials) != 2 {
		t.Errorf("%v\n%s", err, rep)
	}

	bob, err := is.Issue(ctx, completed(pwC, issuer.Learner{ID: "did:example:bob"}))
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := credential.ParseAchievementCredential(own.Credential, nil)
	if err != nil {
		t.Fatal(err)
	}
	unsigned.Proof = nil
	noProof, err := credential.Marshal(unsigned)
	if err != nil {
		t.Fatal(err)
	}
	// A forger's credential in the issuer's name: the same did:web and key
	// id, another key.
	forger := pwIssuer(t, nil)
	forged, err := forger.Issue(ctx, completed(pwC, ada))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"forged", forged.Credential, "credential 1 (" + unsignedID(t, forged.Credential) + ") does not verify: proof:"},
		{"tampered", bytes.Replace(theirs.Credential, []byte("Course B"), []byte("Course Z"), 1), "credential 1 (" + unsignedID(t, theirs.Credential) + ") does not verify: proof:"},
		{"someone else's", bob.Credential, "is not about this learner"},
		{"a JWT", []byte("eyJhbGciOiJFZERTQSJ9.e30.c2ln"), "credential 1 is not JSON (a VC-JWT cannot be embedded"},
		{"no proof", noProof, "has no embedded proof"},
		{"not a credential", []byte(`{"a": 1}`), "credential 1 is not an Open Badges 3.0 AchievementCredential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := is.CLR(ctx, ada, &issuer.CLROptions{Credentials: [][]byte{tt.in}})
			if !errors.Is(err, issuer.ErrHandedIn) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v, want ErrHandedIn saying %q", err, tt.want)
			}
		})
	}
}

// unsignedID returns the id of the credential c.
func unsignedID(t testing.TB, c []byte) string {
	t.Helper()
	ac, err := credential.ParseAchievementCredential(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ac.ID
}

// jsonIndent writes src indented, as a person's copy of a credential may be.
func jsonIndent(dst *bytes.Buffer, src []byte) error { return json.Indent(dst, src, "", "  ") }

// TestCLRHandedInAnotherID: a credential handed in for a learner known by
// id and email address, whose subject has the learner's address but
// another id (the address's former holder, say), is someone else's and
// refused. Before, the address alone made it the learner's, and the
// issuer signed a record holding another person's credential. With the
// learner's id, or with no id in the credential, it goes in (controls).
func TestCLRHandedInAnotherID(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	adaByID := issuer.Learner{ID: "did:example:ada", Email: ada.Email}
	formerHolder, err := is.Issue(ctx, completed(pwA, issuer.Learner{ID: "did:example:bob", Email: ada.Email}))
	if err != nil {
		t.Fatal(err)
	}
	byID, err := is.Issue(ctx, completed(pwB, adaByID))
	if err != nil {
		t.Fatal(err)
	}
	byEmail, err := is.Issue(ctx, completed(pwC, ada))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want string // in the error; empty: embedded
	}{
		{"another id, the learner's address", formerHolder.Credential, "is not about this learner"},
		{"the learner's id", byID.Credential, ""},
		{"no id, the learner's address", byEmail.Credential, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := is.CLR(ctx, adaByID, &issuer.CLROptions{Credentials: [][]byte{tc.in}})
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want == "" && !bytes.Contains(out.Credential, tc.in):
				t.Errorf("the credential is not embedded as signed")
			case tc.want != "" && (!errors.Is(err, issuer.ErrHandedIn) || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%v, want ErrHandedIn saying %q", err, tc.want)
			}
		})
	}
}

// TestCLRHandedInWithdrawn: the issuer's own credential, revoked or
// suspended in its records, handed in for a CLR is refused, also when
// the status list saying so cannot be fetched (the default Check, with
// no documents and no network), where the verification alone accepts an
// undecided status. Before, the issuer signed a record holding a
// credential it had itself revoked. A credential still issued goes in
// (the control).
func TestCLRHandedInWithdrawn(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(is *issuer.Issuer, key string) error
		want   string // in the error; empty: embedded
	}{
		{"revoked", func(is *issuer.Issuer, key string) error { return is.Revoke(ctx, key, "issued in error") }, "is revoked in the issuer's records"},
		{"suspended", func(is *issuer.Issuer, key string) error { return is.Suspend(ctx, key, "under review") }, "is suspended in the issuer's records"},
		{"another learner's, the address reused", nil, "is not an award the issuer's records hold for this learner"},
		{"issued (control)", func(*issuer.Issuer, string) error { return nil }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := pwIssuer(t, func(c *issuer.Config) {
				if tc.name != "suspended" {
					return
				}
				// An issuer that suspends issues from a suspension list.
				reg := &status.Registry{Store: &status.MemoryStore{}}
				if _, err := reg.Create(ctx, pwListURL, &status.ListOptions{Purpose: status.Suspension}); err != nil {
					t.Fatal(err)
				}
				c.Status = issuer.StatusConfig{Registry: reg, Bitstring: pwListURL}
			})
			out, err := is.Issue(ctx, completed(pwA, ada))
			if err != nil {
				t.Fatal(err)
			}
			if tc.change == nil {
				// The award is another learner's, by id, with the
				// address of the learner asking (who holds no award of
				// the issuer): the records do not say it is theirs.
				if out, err = is.Issue(ctx, completed(pwB, issuer.Learner{ID: "did:example:bob", Email: ada.Email})); err != nil {
					t.Fatal(err)
				}
			} else if err := tc.change(is, out.AwardKey); err != nil {
				t.Fatal(err)
			}
			clr, err := is.CLR(ctx, ada, &issuer.CLROptions{Credentials: [][]byte{out.Credential}})
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want == "" && !bytes.Contains(clr.Credential, out.Credential):
				t.Errorf("the credential is not embedded as signed")
			case tc.want != "" && (!errors.Is(err, issuer.ErrHandedIn) || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%v, want ErrHandedIn saying %q", err, tc.want)
			}
		})
	}
}

// otherB is an achievement of another college.
const otherB = "https://other.example/achievements/b"

// TestCLRHandedInOurAchievementElsewhere: a credential handed in that
// awards one of this issuer's achievements (its program) but is issued
// by someone else (a did:key that calls itself by the issuer's name) is
// refused. Before, it went in as the learner's program: the record, signed
// by the issuer, then said the learner's course is part of it, and a
// transcript showed the program awarded.
func TestCLRHandedInOurAchievementElsewhere(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	own, err := is.Issue(ctx, completed(pwC, ada))
	if err != nil {
		t.Fatal(err)
	}
	forger := pwIssuer(t, func(c *issuer.Config) {
		signer, err := keys.Generate(keys.Ed25519)
		if err != nil {
			t.Fatal(err)
		}
		did, _ := keys.DIDKey(signer.Public())
		vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
		k, err := keys.NewKey(vm, did, signer)
		if err != nil {
			t.Fatal(err)
		}
		store := &keys.MemoryStore{}
		if err := store.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
		c.Issuer = &credential.Profile{ID: did, Name: "Example University"}
		c.Keys, c.Status = store, issuer.StatusConfig{}
		c.Achievements = []issuer.Achievement{{Achievement: pwAchievement(pwProgram, "Program"), Evaluator: issuer.Completion{}}}
	})
	program, err := forger.Issue(ctx, completed(pwProgram, ada))
	if err != nil {
		t.Fatal(err)
	}
	_, err = is.CLR(ctx, ada, &issuer.CLROptions{Credentials: [][]byte{own.Credential, program.Credential}})
	want := "credential 2 (" + unsignedID(t, program.Credential) + ") awards " + pwProgram + ", an achievement of this issuer, but is issued by did:key:"
	if !errors.Is(err, issuer.ErrHandedIn) || !strings.Contains(err.Error(), want) {
		t.Errorf("%v, want ErrHandedIn saying %q", err, want)
	}
}
