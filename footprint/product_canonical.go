package footprint

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// canonicalInput is what the input digest covers.
type canonicalInput struct {
	Dataset DatasetLayer `json:"dataset"`
	Spec    ProductSpec  `json:"spec"`
}

// CanonicalJSON returns the bytes the input digest of a footprint covers:
// the RFC 8785 canonical JSON of {"dataset": {"name", "version"}, "spec":
// the normalised spec} (see Normalize). Decimals are JSON strings, so the
// canonical form is exact. ds nil means DefaultDataset().
func (s ProductSpec) CanonicalJSON(ds *Dataset) ([]byte, error) {
	if ds == nil {
		ds = DefaultDataset()
	}
	var n ProductSpec
	if err := s.normalize(&n); err != nil {
		return nil, err
	}
	return n.canonical(ds)
}

func (n *ProductSpec) canonical(ds *Dataset) ([]byte, error) {
	return jcs.Marshal(canonicalInput{Dataset: DatasetLayer{Name: ds.Name(), Version: ds.Version()}, Spec: *n})
}

// digest returns "sha256:<hex>" of the canonical input of a normalised spec.
func (n *ProductSpec) digest(ds *Dataset) (string, error) {
	b, err := n.canonical(ds)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
