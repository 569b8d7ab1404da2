package certificate

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"fmt"
	"math/big"
	"sync/atomic"
)

// fieldP is 2^255 − 19, the field of Curve25519 and Ed25519.
var fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// x25519Probe is a fixed X25519 private key. Its clamped scalar is a
// multiple of 8, so its shared secret with a point of order 1, 2, 4 or 8
// is zero, which crypto/ecdh reports as an error.
var x25519Probe = func() *ecdh.PrivateKey {
	k, err := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{0x5a}, 32))
	if err != nil {
		panic(err)
	}
	return k
}()

// checkEd25519Public refuses an Ed25519 public key that anyone could sign
// for: a non-canonical encoding (y ≥ p) or a point of small order (the
// identity, and the points of order 2, 4 and 8), for which a signature
// with R = identity and S = 0, or a few tries, verifies over any message.
// No honest key is either. The test maps the point to Curve25519,
// u = (1 + y) / (1 − y), and checks that X25519 with a scalar that is a
// multiple of 8 does not give zero.
func checkEd25519Public(k ed25519.PublicKey) error {
	if len(k) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrKey, len(k))
	}
	le := bytes.Clone(k)
	le[31] &= 0x7f // the top bit is the sign of x
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		le[i], le[j] = le[j], le[i]
	}
	y := new(big.Int).SetBytes(le)
	if y.Cmp(fieldP) >= 0 {
		return fmt.Errorf("%w: Ed25519 public key not canonically encoded (y ≥ 2^255 − 19)", ErrKey)
	}
	den := new(big.Int).Sub(big.NewInt(1), y)
	den.Mod(den, fieldP)
	if den.Sign() == 0 {
		return fmt.Errorf("%w: Ed25519 public key is the identity point, for which anyone can sign", ErrKey)
	}
	u := new(big.Int).Add(big.NewInt(1), y)
	u.Mul(u, den.ModInverse(den, fieldP)).Mod(u, fieldP)
	ub := u.FillBytes(make([]byte, 32))
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		ub[i], ub[j] = ub[j], ub[i]
	}
	pub, err := ecdh.X25519().NewPublicKey(ub)
	if err == nil {
		_, err = x25519Probe.ECDH(pub)
	}
	if err != nil {
		return fmt.Errorf("%w: Ed25519 public key is a point of small order, for which anyone can sign", ErrKey)
	}
	return nil
}

// lastGoodKey is the last in-process Ed25519 private key whose public half
// was checked against its seed (a scalar multiplication, as costly as half
// a signature), so that a signer used again and again is checked once.
var lastGoodKey atomic.Pointer[[ed25519.PrivateKeySize]byte]

// checkEd25519Private refuses an Ed25519 private key whose public half
// (bytes 32 to 64) is not the public key of its seed: ed25519.Sign hashes
// that public half into each signature, so one message signed under two
// public halves with the same seed gives away the private scalar (S1 − S2
// = (h1 − h2) · a), and a key with a stale public half signs without
// error signatures that do not verify.
func checkEd25519Private(k ed25519.PrivateKey) error {
	if p := lastGoodKey.Load(); p != nil && bytes.Equal(p[:], k) {
		return nil
	}
	if !bytes.Equal(ed25519.NewKeyFromSeed(k.Seed())[32:], k[32:]) {
		return fmt.Errorf("%w: Ed25519 private key whose public half does not belong to its seed (refused: signing with it would give the key away)", ErrKey)
	}
	good := [ed25519.PrivateKeySize]byte(k)
	lastGoodKey.Store(&good)
	return nil
}
