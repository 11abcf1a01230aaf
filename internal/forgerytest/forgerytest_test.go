package forgerytest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// TestVictimDocuments checks that each of the victim's documents lists the
// victim's key, as #key-1 of the identity it describes, under
// assertionMethod, and does not name the attacker's key.
func TestVictimDocuments(t *testing.T) {
	victimMB, _ := keys.PublicKeyMultibase(VictimKey().Public())
	attackerMB, _ := keys.PublicKeyMultibase(AttackerKey().Public())
	for id, doc := range VictimDocuments(t).ByID() {
		var d struct {
			ID                 string `json:"id"`
			VerificationMethod []struct {
				ID                 string `json:"id"`
				PublicKeyMultibase string `json:"publicKeyMultibase"`
			} `json:"verificationMethod"`
			AssertionMethod []string `json:"assertionMethod"`
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		type listed struct {
			ID, VM, Multibase string
			Assertion         []string
		}
		want := listed{id, id + "#key-1", victimMB, []string{id + "#key-1"}}
		got := listed{ID: d.ID, Assertion: d.AssertionMethod}
		if len(d.VerificationMethod) == 1 {
			got.VM, got.Multibase = d.VerificationMethod[0].ID, d.VerificationMethod[0].PublicKeyMultibase
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%s", id, diff, doc)
		}
		if bytes.Contains(doc, []byte(attackerMB)) {
			t.Errorf("%s lists the attacker's key:\n%s", id, doc)
		}
	}
}
