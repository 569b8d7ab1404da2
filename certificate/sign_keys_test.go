package certificate

import (
	"errors"
	"strings"
	"testing"
)

// Verifying with no keys at all (a zero VerifyOptions) says that Keys is
// required, besides ErrUnknownKey; with a key set that lacks the key, the
// error is ErrUnknownKey alone.
func TestVerifyWithoutKeysSaysSo(t *testing.T) {
	c := signedSample(t)
	for _, opts := range []VerifyOptions{{}, {Keys: &KeySet{}}} {
		err := c.Verify(opts)
		if !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), "VerifyOptions.Keys holds no keys") {
			t.Errorf("Verify(%+v): %v", opts, err)
		}
		if _, err := c.Badge(opts); err == nil || !strings.Contains(err.Error(), "VerifyOptions.Keys") {
			t.Errorf("Badge: %v", err)
		}
	}
	other, err := NewKeySet(nil)
	if err == nil {
		if err := c.Verify(VerifyOptions{Keys: other}); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("empty NewKeySet: %v", err)
		}
	}
	if err := c.Verify(VerifyOptions{Keys: testKeys(t)}); err != nil {
		t.Errorf("with the keys: %v", err)
	}
}
