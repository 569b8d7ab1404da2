package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	s, err := newShop(context.Background(), registry.NewMemStore(), key, time.Now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "retailserver: listening on http://%s (try: curl -d '{\"sku\":\"REF-14-16-512\",\"serial\":\"PF-1\",\"country\":\"IN\"}' http://%s/checkout)\n", *addr, *addr)
	log.Fatal(http.ListenAndServe(*addr, s.handler()))
}

// shop is the backend: the catalogue, the book of record, the issuer's key
// and the certificates issued. It is safe for concurrent use.
type shop struct {
	reg       *registry.Registry
	key       ed25519.PrivateKey
	keys      *certificate.KeySet
	now       func() time.Time
	catalogue map[string]footprint.ProductSpec

	// serials serialises the work on one serial (a checkout and a return
	// of the same unit), striped so that different serials rarely wait.
	serials [64]sync.Mutex

	mu      sync.Mutex
	certs   map[string]issued // by serial: the live certificate
	revoked []string          // IDs of revoked certificates
}

// issued is a certificate kept for a serial, with the journal entry of the
// allocation it certifies.
type issued struct {
	cert *certificate.Certificate
	seq  uint64
}

// lock locks the stripe of serial's mutex and returns its unlock.
func (s *shop) lock(serial string) func() {
	h := fnv.New32a()
	h.Write([]byte(serial))
	m := &s.serials[h.Sum32()%uint32(len(s.serials))]
	m.Lock()
	return m.Unlock
}

// newShop opens the registry on store, stocks it with the SAMPLE lots when
// it is new, and sells the reference laptop.
func newShop(ctx context.Context, store registry.Store, key ed25519.PrivateKey, now func() time.Time) (*shop, error) {
	reg, err := registry.Open(ctx, store, registry.Options{Now: now})
	if err != nil {
		return nil, err
	}
	if seq, _ := reg.Head(); seq == 0 {
		if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
			return nil, err
		}
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: key.Public()}})
	if err != nil {
		return nil, err
	}
	laptop := footprint.ReferenceLaptop()
	return &shop{
		reg: reg, key: key, keys: keys, now: now,
		catalogue: map[string]footprint.ProductSpec{laptop.SKU: laptop},
		certs:     map[string]issued{},
	}, nil
}

func (s *shop) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /checkout", s.checkout)
	mux.HandleFunc("GET /certificates/{serial}", s.certificate)
	mux.HandleFunc("POST /returns/{serial}", s.giveBack)
	mux.HandleFunc("POST /verify", s.verify)
	return mux
}

// checkoutRequest is the body of POST /checkout.
type checkoutRequest struct {
	SKU     string `json:"sku"`
	Serial  string `json:"serial"`
	Country string `json:"country"`
	Project string `json:"project,omitempty"`
}

func (s *shop) checkout(w http.ResponseWriter, r *http.Request) {
	var req checkoutRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("data after the JSON object")
			if tooBig := (*http.MaxBytesError)(nil); errors.As(terr, &tooBig) {
				err = terr
			}
		}
	}
	if err != nil {
		code := http.StatusBadRequest
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			code = http.StatusRequestEntityTooLarge
		}
		fail(w, code, fmt.Errorf("request: %w", err))
		return
	}
	spec, ok := s.catalogue[req.SKU]
	if !ok {
		fail(w, http.StatusBadRequest, fmt.Errorf("sku: %q is not sold here", req.SKU))
		return
	}
	// The serial names the unit in the paths /certificates/{serial} and
	// /returns/{serial}, so it must be one path segment that the router
	// does not clean away: not "." or "..", and no "/" (escaped as %2F it
	// would match, but proxies often unescape it). The library checks
	// the rest: present, at most 200 bytes, UTF-8 without control
	// characters.
	if req.Serial == "." || req.Serial == ".." || strings.Contains(req.Serial, "/") {
		fail(w, http.StatusBadRequest, fmt.Errorf(`serial: must not be "." or ".." or contain "/" (it is a URL path segment), got %q`, req.Serial))
		return
	}
	spec.Serial = req.Serial
	if spec.Use != nil { // the country of use is where it is sold
		u := *spec.Use
		u.Country = req.Country
		spec.Use = &u
	}
	sale := lifecarbon.Sale{
		Product: spec,
		// Cheapest lots first, in US dollars, rounded up to whole kilograms.
		Preferences: offset.Preferences{Currency: "USD", Rounding: offset.RoundToStep(footprint.KgCO2e(decimal.NewFromInt(1)))},
		Certificate: certificate.IssueOptions{
			Issuer: certificate.Issuer{Name: "Example Retail (retailserver)"},
			// Full precision: a unit returned and sold again gets a
			// certificate whose ID differs from the revoked one's.
			IssuedAt: s.now().UTC(),
		},
	}
	if req.Project != "" {
		sale.Preferences.Filter.Projects = []string{req.Project}
	}
	unlock := s.lock(req.Serial) // no return of this unit until it is kept
	rc, err := lifecarbon.CheckoutRecorded(r.Context(), s.reg, sale, s.key, nil)
	if err != nil {
		unlock()
		fail(w, status(err), err)
		return
	}
	// A retry of the sale (the same allocation, rc.Seq) gets the
	// certificate the first answer gave; a new allocation (a resale) gets
	// its own.
	s.mu.Lock()
	c, ok := s.certs[req.Serial]
	if !ok || c.seq != rc.Seq {
		c = issued{cert: rc.Certificate, seq: rc.Seq}
		s.certs[req.Serial] = c
	}
	s.mu.Unlock()
	unlock()
	reply(w, http.StatusOK, c.cert)
}

func (s *shop) certificate(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c, ok := s.certs[r.PathValue("serial")]
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusNotFound, fmt.Errorf("serial: no certificate for %q", r.PathValue("serial")))
		return
	}
	reply(w, http.StatusOK, c.cert)
}

// giveBack handles a returned product: the credits go back to the
// inventory and the certificate onto the revocation list.
func (s *shop) giveBack(w http.ResponseWriter, r *http.Request) {
	serial := r.PathValue("serial")
	unlock := s.lock(serial)
	a, err := s.reg.Release(r.Context(), serial, "returned")
	if errors.Is(err, registry.ErrNotAllocated) {
		// A return whose answer was lost (the store kept the release but
		// reported a failure) is retried and finds nothing to release:
		// the certificate of the allocation the registry no longer holds
		// is revoked now, or it would stay valid while its grams are sold
		// again.
		out, ok := s.revokeReleased(serial)
		unlock()
		if ok {
			reply(w, http.StatusOK, out)
			return
		}
		fail(w, status(err), err)
		return
	}
	if err != nil {
		unlock()
		fail(w, status(err), err)
		return
	}
	out := map[string]string{"serial": serial, "released": a.Plan.Amount.String()}
	s.mu.Lock()
	if c, ok := s.certs[serial]; ok && c.seq == a.Seq {
		s.revoked = append(s.revoked, c.cert.ID)
		out["revoked"] = c.cert.ID
	}
	delete(s.certs, serial)
	s.mu.Unlock()
	unlock()
	reply(w, http.StatusOK, out)
}

// revokeReleased revokes serial's live certificate when the registry no
// longer holds the allocation it certifies (released by a return whose
// answer was lost), and says so; false when there is none.
func (s *shop) revokeReleased(serial string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.certs[serial]
	if !ok {
		return nil, false
	}
	if a, held := s.reg.Allocation(serial); held && a.Seq == c.seq {
		return nil, false // still held: not this case
	}
	s.revoked = append(s.revoked, c.cert.ID)
	delete(s.certs, serial)
	return map[string]string{"serial": serial, "released": "earlier (its answer was lost)", "revoked": c.cert.ID}, true
}

// verify checks a certificate as an offline verifier would, with the
// shop's revocation list.
func (s *shop) verify(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, certificate.MaxSize))
	if err != nil {
		code := http.StatusBadRequest
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			code = http.StatusRequestEntityTooLarge
		}
		fail(w, code, fmt.Errorf("request: %w", err))
		return
	}
	s.mu.Lock()
	revoked := append([]string(nil), s.revoked...)
	s.mu.Unlock()
	c, err := certificate.Parse(body)
	if err == nil {
		err = c.Verify(certificate.VerifyOptions{Keys: s.keys, Revoked: revoked})
	}
	if err != nil {
		reply(w, http.StatusOK, map[string]any{"valid": false, "error": err.Error()})
		return
	}
	reply(w, http.StatusOK, map[string]any{"valid": true, "serial": c.Product.Serial})
}

// status maps the library's sentinels to HTTP status codes.
func status(err error) int {
	switch {
	case errors.Is(err, registry.ErrBusy), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	case errors.Is(err, registry.ErrAllocated), errors.Is(err, offset.ErrUnmet):
		return http.StatusConflict
	case errors.Is(err, registry.ErrNotAllocated):
		return http.StatusNotFound
	case errors.Is(err, footprint.ErrInvalidProduct), errors.Is(err, offset.ErrInvalidDemand):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// fail answers with err, except for an internal error (a store failure,
// say), whose text may name tables and connections: that is logged, and
// the client is told to retry, which checkouts and returns allow (the
// operation may or may not have been recorded).
func fail(w http.ResponseWriter, code int, err error) {
	msg := err.Error()
	if code == http.StatusInternalServerError {
		log.Printf("internal error: %v", err)
		msg = "internal error: it may or may not have been recorded; retry the request (checkouts and returns are safe to retry)"
	}
	reply(w, code, map[string]string{"error": msg})
}

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
