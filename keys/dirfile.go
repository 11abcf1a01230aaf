package keys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// decodeKeyFile decodes the key file name, at path, with passphrase for
// an encrypted key, and checks that it holds the key whose file it is.
func decodeKeyFile(path, name string, data, passphrase []byte) (*Key, error) {
	k, err := parseKeyFile(data, passphrase)
	if err != nil {
		return nil, fmt.Errorf("keys: key file %s: %w", path, err)
	}
	if fileName(k.ID) != name {
		return nil, fmt.Errorf("keys: key file %s holds key %q, whose file would be %s", path, k.ID, fileName(k.ID))
	}
	return k, nil
}

// parseKeyFile decodes the contents of a key file. An encrypted private
// key is not decrypted yet: its Signer is a *sealedSigner that decrypts it
// with passphrase.
func parseKeyFile(data, passphrase []byte) (*Key, error) {
	members, err := jwkMembers(data)
	if err != nil {
		return nil, err
	}
	k := new(Key)
	for _, m := range []struct {
		name string
		s    *string
	}{{"kid", &k.ID}, {"controller", &k.Controller}} {
		v, ok, err := stringMember(members, m.name)
		if err != nil {
			return nil, err
		}
		if !ok || v == "" {
			return nil, fmt.Errorf("no %q member", m.name)
		}
		*m.s = v
	}
	for _, m := range []struct {
		name string
		t    *time.Time
	}{{"notBefore", &k.NotBefore}, {"notAfter", &k.NotAfter}} {
		v, ok, err := stringMember(members, m.name)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if *m.t, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return nil, fmt.Errorf("member %q is not an RFC 3339 time: %w", m.name, err)
		}
	}
	if raw, sealed := members[encryptedMember]; sealed {
		if k.Retired() {
			return nil, fmt.Errorf("retired key %q still holds its private key (encrypted); remove its member %q", k.ID, encryptedMember)
		}
		sk, err := parseSealedKey(raw)
		if err != nil {
			return nil, err
		}
		clearJWK, err := json.Marshal(withoutMember(members, encryptedMember))
		if err != nil {
			return nil, err
		}
		pub, _, err := ParsePublicJWK(clearJWK) // refuses private members in clear
		if err != nil {
			return nil, err
		}
		aad, err := sealAAD(k.ID, k.Controller, pub)
		if err != nil {
			return nil, err
		}
		k.Public = pub
		k.Signer = newSealedSigner(k.ID, pub, sk, members, passphrase, aad)
	} else if _, private := members["d"]; private {
		if k.Retired() {
			return nil, fmt.Errorf("retired key %q still holds its private key; remove its private members", k.ID)
		}
		signer, _, err := ParsePrivateJWK(data)
		if err != nil {
			return nil, err
		}
		k.Signer = signer
	} else {
		pub, _, err := ParsePublicJWK(data)
		if err != nil {
			return nil, err
		}
		k.Public = pub
	}
	return checkedKey(k)
}

// withoutMember returns a copy of members without name.
func withoutMember(members map[string]json.RawMessage, name string) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(members))
	for n, v := range members {
		if n != name {
			out[n] = v
		}
	}
	return out
}

// fileBytes encodes k as a key file: its private JWK if it has a Signer,
// else its public JWK, with the metadata members. With a passphrase, the
// private members are encrypted under it (with scrypt's work factor
// logN): the file holds the public JWK and the member "encrypted". Clear
// the result after use.
func fileBytes(k *Key, passphrase []byte, logN int) ([]byte, error) {
	var jwk, sealed []byte
	var err error
	if k.Signer != nil {
		jwk, err = PrivateJWK(k.Signer, k.ID)
	} else {
		jwk, err = PublicJWK(k.Public, k.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: key %q cannot be written to a file: %w", k.ID, err)
	}
	defer clear(jwk)
	if k.Signer != nil && len(passphrase) > 0 {
		aad, err := sealAAD(k.ID, k.Controller, k.Public)
		if err == nil {
			sealed, err = seal(jwk, passphrase, aad, logN)
		}
		if err != nil {
			return nil, fmt.Errorf("keys: key %q cannot be encrypted: %w", k.ID, err)
		}
		clear(jwk)
		if jwk, err = PublicJWK(k.Public, k.ID); err != nil {
			return nil, err
		}
	}
	meta := struct {
		Controller string          `json:"controller"`
		NotBefore  string          `json:"notBefore,omitempty"`
		NotAfter   string          `json:"notAfter,omitempty"`
		Encrypted  json.RawMessage `json:"encrypted,omitempty"`
	}{Controller: k.Controller, Encrypted: sealed}
	if !k.NotBefore.IsZero() {
		meta.NotBefore = stamp(k.NotBefore)
	}
	if !k.NotAfter.IsZero() {
		meta.NotAfter = stamp(k.NotAfter)
	}
	var m bytes.Buffer
	enc := json.NewEncoder(&m)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(meta); err != nil {
		return nil, err
	}
	// Both are JSON objects: splice meta's members into jwk's.
	jwk = bytes.TrimSpace(jwk)
	if len(jwk) < 2 || jwk[len(jwk)-1] != '}' {
		return nil, fmt.Errorf("keys: key %q: unexpected JWK encoding", k.ID)
	}
	out := make([]byte, 0, len(jwk)+m.Len()+1)
	out = append(out, jwk[:len(jwk)-1]...)
	out = append(out, ',')
	out = append(out, bytes.TrimSpace(m.Bytes())[1:]...)
	return append(out, '\n'), nil
}
