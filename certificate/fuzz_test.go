package certificate

import (
	"os"
	"path/filepath"
	"testing"
)

func seed(f *testing.F, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// FuzzParse: Parse never panics; what it accepts re-encodes to a document
// it accepts again, identically, and Verify on it never panics.
func FuzzParse(f *testing.F) {
	f.Add(seed(f, "certificate.golden.json"))
	f.Add(seed(f, "canonical.golden"))
	f.Add([]byte(`{"id":"a","id":"b"}`))
	f.Add([]byte(`{}`))
	keys := testKeys(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		js, _ := c.MarshalJSON()
		d, err := Parse(js)
		if err != nil {
			t.Fatalf("re-encoded document refused: %v\n%s", err, js)
		}
		if again, _ := d.MarshalJSON(); string(again) != string(js) {
			t.Fatalf("not stable:\n%s\n%s", js, again)
		}
		_ = c.Verify(VerifyOptions{Keys: keys})
		_ = c.Check()
	})
}

// FuzzParseJWS: ParseJWS never panics; what it accepts has the header and
// payload JWS writes for its certificate, and verifying it never panics.
func FuzzParseJWS(f *testing.F) {
	f.Add(string(seed(f, "certificate.golden.jws")[:len(seed(f, "certificate.golden.jws"))-1]))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("..")
	keys := testKeys(f)
	f.Fuzz(func(t *testing.T, s string) {
		j, err := parseJWS(s)
		c, err2 := ParseJWS(s)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("parseJWS and ParseJWS disagree: %v, %v", err, err2)
		}
		_, _ = VerifyJWS(s, VerifyOptions{Keys: keys})
		if err != nil {
			return
		}
		if c.Signature != nil {
			t.Fatal("ParseJWS returned a certificate with a signature")
		}
		if again := string(signingInput(j.alg, j.kid, c.Canonical())); again != j.input || len(s) != len(again)+1+86 {
			t.Fatalf("signing input not reproduced:\n%s\n%s", s, again)
		}
	})
}

// FuzzVerifyCredential: VerifyCredential never panics.
func FuzzVerifyCredential(f *testing.F) {
	f.Add(seed(f, "certificate.golden.vc.json"))
	f.Add(seed(f, "w3c-eddsa-jcs-2022/signedJCS.json"))
	keys := testKeys(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = VerifyCredential(data, VerifyOptions{Keys: keys})
	})
}
