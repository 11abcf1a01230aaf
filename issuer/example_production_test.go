package issuer_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/sqlstore"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

// An issuer as an institution runs it: a did:web identifier, its key in a
// key directory, its records, reviews and status list in SQLite, and what
// verifiers need published to a folder served at https://example.edu.
func ExampleIssuer_Publish() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "issuer")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// The key, kept in a key directory (openbadges init makes one).
	const id = "did:web:example.edu"
	store, err := keys.OpenDir(filepath.Join(dir, "keys"))
	if err != nil {
		log.Fatal(err)
	}
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	key, err := keys.NewKey(id+"#key-1", id, signer)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Add(ctx, key); err != nil {
		log.Fatal(err)
	}

	// Records, reviews and status lists in SQLite (postgres://… for many
	// machines), and a status list to revoke with.
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "issuer.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	const listURL = "https://example.edu/status/1"
	registry := &status.Registry{Store: db.Status(), NextURL: status.NextNumberedURL}
	if _, err := registry.Create(ctx, listURL, nil); err != nil {
		log.Fatal(err)
	}

	iss, err := issuer.New(issuer.Config{
		Issuer:  &credential.Profile{ID: id, Name: "Example University", URL: "https://example.edu"},
		Keys:    store,
		Records: db.Records(),
		Review:  db.Review(),
		Status:  issuer.StatusConfig{Registry: registry, Bitstring: listURL},
		Achievements: []issuer.Achievement{{
			Achievement: &credential.Achievement{
				ID: "https://example.edu/achievements/go", Name: "Introduction to Go",
				Description: "Completed the introductory Go course.",
				Criteria:    &credential.Criteria{Narrative: "Finish the course."},
			},
			Evaluator: issuer.Completion{},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	out, err := iss.Issue(ctx, &issuer.Submission{
		Learner:       issuer.Learner{Email: "ada@example.org"},
		AchievementID: "https://example.edu/achievements/go",
		Completed:     true,
	})
	if err != nil {
		log.Fatal(err)
	}

	// Publish: serve public/ at https://example.edu, or verify offline
	// with its map.
	public := filepath.Join(dir, "public")
	pub, err := iss.Publish(ctx, public, nil)
	if err != nil {
		log.Fatal(err)
	}
	m, err := os.ReadFile(filepath.Join(public, pub.Map))
	if err != nil {
		log.Fatal(err)
	}
	docs, err := verify.ParseDocumentMap(m, public)
	if err != nil {
		log.Fatal(err)
	}
	rep, err := verify.Verify(ctx, out.Credential, &verify.Trust{Documents: docs}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pub.Files["https://example.edu/.well-known/did.json"], pub.Files[listURL])
	fmt.Println(rep.Verified, rep.Check(verify.CheckProof).Message)
	// Output:
	// .well-known/did.json status/1
	// true verified: eddsa-rdfc-2022 by did:web:example.edu (key bound to its controller: document)
}
