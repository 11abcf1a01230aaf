package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pinnedSHA256 is the SHA-256 of every embedded file, computed with
// sha256sum when the files were added. It is deliberately independent of the
// table in files.go: changing one byte of an embedded file fails
// TestEmbeddedFilesArePinned even if the table is updated too.
var pinnedSHA256 = map[string]string{
	"contexts/citizenship-v4rc1.jsonld":                                                 "3edaa0fef94223eeb863d71ebd550c45d74143db14911d606f36d579d2dd46af",
	"contexts/clr-v2p0-context-2.0.1.json":                                              "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6",
	"contexts/clr-v2p0-context.json":                                                    "e198d7b517d74c5036434ce495086f67b10244709e9a3df9dcb7f8b1579b6167",
	"contexts/credentials-examples-v1.jsonld":                                           "2070ae4e75bc3b4c2cfe2b8b6e86ec45119672bbb5da283f0399ea96c60a0104",
	"contexts/credentials-examples-v2.jsonld":                                           "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
	"contexts/credentials-undefined-terms-v2.jsonld":                                    "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581",
	"contexts/credentials-v1.jsonld":                                                    "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
	"contexts/credentials-v2.jsonld":                                                    "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
	"contexts/data-integrity-v1.jsonld":                                                 "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
	"contexts/data-integrity-v2.jsonld":                                                 "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
	"contexts/did-v1.jsonld":                                                            "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da",
	"contexts/ed25519-2020-v1.jsonld":                                                   "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588",
	"contexts/jwk-v1.jsonld":                                                            "0f14b62f6071aafe00df265770ea0c7508e118247d79b7d861a406d2aa00bece",
	"contexts/multikey-v1.jsonld":                                                       "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
	"contexts/ob-v2p0-context.json":                                                     "3c0c25a0e581c64cbe632197377c4f334c6c0b95f0d90e3b74449781612b153d",
	"contexts/ob-v3p0-context-3.0.1.json":                                               "d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355",
	"contexts/ob-v3p0-context-3.0.2.json":                                               "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53",
	"contexts/ob-v3p0-context-3.0.3.json":                                               "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
	"contexts/ob-v3p0-context-3.0.3.validator-bundled.json":                             "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
	"contexts/ob-v3p0-context.json":                                                     "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10",
	"contexts/ob-v3p0-extensions.json":                                                  "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3",
	"contexts/security-v1.jsonld":                                                       "abaf97e107d1925503c433dcaf3ffd2831697cacc1ed2a293e1bc8030d5bcb47",
	"contexts/security-v2.jsonld":                                                       "611bd81151d5efe53ec9aed78f5a813e577287bc9451ee26d6879b1b8b46bc3b",
	"contexts/vc-bitstring-status-list-v1.jsonld":                                       "fd08cbf28ddd829ab2f1978c48f43ab07a112c1c90245a0cfac7ba721c65170c",
	"contexts/vc-status-list-2021-v1.jsonld":                                            "634d71c159289f068c96012e4511c657fdf82ac4231900081bda3ba24e2e1160",
	"jsonschema/achievementcredential.json":                                             "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a",
	"jsonschema/clr_v2p0_clrcredential_schema.json":                                     "59d778659204b0bd593e9e2ab1683fb6f688e339885c44019f606ed6feb4caee",
	"jsonschema/endorsementcredential.json":                                             "4627e1878848d0192c3f9e26f09ef88a96ad48a46f5fca11b80b679ece0de345",
	"jsonschema/getopenbadgecredentialsresponse.json":                                   "37fd69152b5ad8df481fc3c25a8f56f6af9020d873f9937c2b617f5b4b42bf6a",
	"jsonschema/imsx_statusinfo.json":                                                   "5e0c865c697f6662c29abe9e623981f2d78823d16646c1479c959b3d84aaf569",
	"jsonschema/ob_v3p0_achievementcredential_schema.json":                              "86a141ff0c1b1a6b4e08460f786a8ffe0f737d8256a86243d134a2e6450efe4d",
	"jsonschema/profile.json":                                                           "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164",
	"jsonschema/purl-reconstructed/ob_v3p0_endorsementcredential_schema.json":           "3376c286d4df972bd1c3b17334fa53ae5af4a144829911174e1feca098199672",
	"jsonschema/purl-reconstructed/ob_v3p0_getopenbadgecredentialsresponse_schema.json": "f464def6544ff6d4add833a121d36fa2c8762f4bb7043e97af7881700567b023",
	"jsonschema/purl-reconstructed/ob_v3p0_imsx_statusinfo_schema.json":                 "c6e276cd84c634b83e10e305f5d93518f0cad6f7a21e3f62af1ac3bed0aa4523",
	"jsonschema/purl-reconstructed/ob_v3p0_profile_schema.json":                         "104d86af5f5399075396c95649ac8d754dfd36fb27e16e8ee60f1e1305b576e1",
}

func TestEmbeddedFilesArePinned(t *testing.T) {
	got := map[string]string{}
	err := fs.WalkDir(embedded, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(embedded, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		got[path] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pinnedSHA256, got); diff != "" {
		t.Errorf("embedded files differ from their pinned SHA-256 (-want +got):\n%s", diff)
	}
}

func TestFilesTable(t *testing.T) {
	used := map[string]bool{}
	urls := map[string]int{}
	for _, f := range Files() {
		used[f.Name] = true
		urls[f.URL]++
		if want, ok := pinnedSHA256[f.Name]; !ok {
			t.Errorf("%s: row names a file that is not embedded", f.URL)
		} else if f.SHA256 != want {
			t.Errorf("%s: table pins %s as %s, want %s", f.URL, f.Name, f.SHA256, want)
		}
		if _, err := readVerified(f); err != nil {
			t.Error(err)
		}
		wantKind := KindSchema
		if strings.HasPrefix(f.Name, "contexts/") {
			wantKind = KindContext
			if f.Name == "contexts/ob-v3p0-context-3.0.3.json" {
				wantKind = KindAlternateContext
			}
		}
		if f.Kind != wantKind {
			t.Errorf("%s: kind %v, want %v", f.Name, f.Kind, wantKind)
		}
	}
	for name := range pinnedSHA256 {
		if !used[name] {
			t.Errorf("embedded file %s is served at no URL", name)
		}
	}
	for u, n := range urls {
		if n > 1 && u != ob303ContextURL {
			t.Errorf("URL %s is listed %d times", u, n)
		}
	}
	if urls[ob303ContextURL] != 2 {
		t.Errorf("URL %s is listed %d times, want 2 (bundled and published copies)", ob303ContextURL, urls[ob303ContextURL])
	}

	// Files returns a copy.
	fs1 := Files()
	fs1[0].SHA256 = "changed"
	if Files()[0].SHA256 == "changed" {
		t.Error("modifying the result of Files changed the table")
	}
}

func TestReadVerifiedRejectsWrongHash(t *testing.T) {
	f := Files()[0]
	f.SHA256 = strings.Repeat("0", 64)
	if _, err := readVerified(f); err == nil || !strings.Contains(err.Error(), "want "+f.SHA256) {
		t.Errorf("readVerified with a wrong pin: err = %v, want a SHA-256 mismatch", err)
	}
}

func TestFileKindString(t *testing.T) {
	for k, want := range map[FileKind]string{KindContext: "context", KindAlternateContext: "alternate context", KindSchema: "schema", 9: "FileKind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("FileKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
