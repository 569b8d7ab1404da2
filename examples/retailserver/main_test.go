package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

var testKey = ed25519.NewKeyFromSeed([]byte("retailserver-test-key-seed-32-b!"))

// newTestServer serves a shop whose clock moves on a millisecond at every
// reading, so that no two certificates share an issue time by accident.
func newTestServer(t *testing.T) (*httptest.Server, *shop) {
	t.Helper()
	var ticks atomic.Int64
	start := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	s, err := newShop(context.Background(), registry.NewMemStore(), testKey, now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	return srv, s
}

func post(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return resp.StatusCode, b
}

func checkoutBody(serial, country, project string) string {
	return fmt.Sprintf(`{"sku":"REF-14-16-512","serial":%q,"country":%q,"project":%q}`, serial, country, project)
}

// Forty checkouts at once: each gets a certificate that verifies, covers
// its footprint and draws exactly the grams the registry holds for its
// serial; no gram of any lot is held for two serials; and the grams that
// left the inventory are exactly those the certificates draw.
func TestConcurrentCheckouts(t *testing.T) {
	srv, s := newTestServer(t)
	freeBefore := s.reg.Inventory().TotalFreeGrams()
	certs := make([]*certificate.Certificate, 40)
	var wg sync.WaitGroup
	for i := range certs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := post(t, srv.URL+"/checkout", checkoutBody(fmt.Sprintf("PF-%03d", i), "IN", ""))
			if code != http.StatusOK {
				t.Errorf("checkout %d: %d %s", i, code, body)
				return
			}
			c, err := certificate.Parse(bytes.TrimSpace(body))
			if err != nil {
				t.Errorf("checkout %d: %v", i, err)
				return
			}
			certs[i] = c
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: testKey.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	total := decimal.Zero // grams drawn by all certificates
	held := map[string][]offset.GramRange{}
	for i, c := range certs {
		if err := c.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
			t.Fatalf("certificate %d: %v", i, err)
		}
		if c.TotalOffset.Cmp(c.Footprint.Total) < 0 {
			t.Fatalf("certificate %d: offset %s below footprint %s", i, c.TotalOffset, c.Footprint.Total)
		}
		drawn := decimal.Zero
		for _, l := range c.Offsets {
			for _, cr := range l.Credits {
				drawn = drawn.Add(cr.Grams)
			}
		}
		total = total.Add(drawn)
		a, ok := s.reg.Allocation(c.Product.Serial)
		if !ok || !a.Plan.Amount.Grams().Equal(drawn) {
			t.Fatalf("certificate %d draws %s g; the registry holds %v for %s", i, drawn, a.Plan.Amount, c.Product.Serial)
		}
		for _, ln := range a.Plan.Lines {
			for _, g := range held[ln.Lot] {
				if g.From < ln.Grams.To && ln.Grams.From < g.To {
					t.Fatalf("grams %v and %v of lot %s held twice", g, ln.Grams, ln.Lot)
				}
			}
			held[ln.Lot] = append(held[ln.Lot], ln.Grams)
		}
	}
	if left := decimal.NewFromInt(freeBefore - s.reg.Inventory().TotalFreeGrams()); !left.Equal(total) {
		t.Fatalf("%s g left the inventory, the certificates draw %s g", left, total)
	}
}

// A retried checkout gets the same certificate; the same serial sold with
// other preferences is refused; a return frees the credits and revokes the
// certificate; the serial can then be sold again.
func TestRetryReturnAndResale(t *testing.T) {
	srv, s := newTestServer(t)
	code, first := post(t, srv.URL+"/checkout", checkoutBody("PF-RET", "IN", "sample-in-wind"))
	if code != http.StatusOK {
		t.Fatalf("checkout: %d %s", code, first)
	}
	freeBefore := s.reg.Inventory().TotalFreeGrams()
	if code, again := post(t, srv.URL+"/checkout", checkoutBody("PF-RET", "IN", "sample-in-wind")); code != http.StatusOK || !bytes.Equal(again, first) {
		t.Fatalf("retry: %d, same certificate %v", code, bytes.Equal(again, first))
	}
	if code, body := post(t, srv.URL+"/checkout", checkoutBody("PF-RET", "DE", "")); code != http.StatusConflict || !strings.Contains(string(body), "already has an allocation") {
		t.Fatalf("another sale of the serial: %d %s", code, body)
	}
	if code, body := post(t, srv.URL+"/verify", string(first)); code != http.StatusOK || !strings.Contains(string(body), `"valid":true`) {
		t.Fatalf("verify before the return: %d %s", code, body)
	}

	code, body := post(t, srv.URL+"/returns/PF-RET", "")
	if code != http.StatusOK {
		t.Fatalf("return: %d %s", code, body)
	}
	c, err := certificate.Parse(bytes.TrimSpace(first))
	if err != nil {
		t.Fatal(err)
	}
	var ret map[string]string
	if err := json.Unmarshal(body, &ret); err != nil || ret["revoked"] != c.ID || ret["released"] != c.TotalOffset.String() {
		t.Fatalf("return answered %s (err %v); want certificate %s revoked and %s released", body, err, c.ID, c.TotalOffset)
	}
	if got, want := decimal.NewFromInt(s.reg.Inventory().TotalFreeGrams()-freeBefore), c.TotalOffset.Grams(); !got.Equal(want) {
		t.Fatalf("the return freed %d g, the certificate held %d g", got, want)
	}
	if code, body := post(t, srv.URL+"/verify", string(first)); code != http.StatusOK || !strings.Contains(string(body), "revoked") {
		t.Fatalf("verify after the return: %d %s", code, body)
	}
	if code, body := post(t, srv.URL+"/returns/PF-RET", ""); code != http.StatusNotFound {
		t.Fatalf("second return: %d %s", code, body)
	}
	if code, body := post(t, srv.URL+"/checkout", checkoutBody("PF-RET", "DE", "")); code != http.StatusOK || bytes.Equal(body, first) {
		t.Fatalf("resale: %d %s", code, body)
	}
	resp, err := http.Get(srv.URL + "/certificates/PF-RET")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the resold serial's certificate: %d", resp.StatusCode)
	}
}

// Bad requests get 400 and the library's message naming the field.
func TestBadRequests(t *testing.T) {
	srv, _ := newTestServer(t)
	tests := []struct{ why, body, want string }{
		{"not JSON", `{"sku":`, "request: "},
		{"an unknown member", `{"sku":"REF-14-16-512","serial":"PF-1","country":"IN","colour":"red"}`, `unknown field \"colour\"`},
		{"data after the object", checkoutBody("PF-1", "IN", "") + ` {"serial":"PF-2"}`, "request: data after the JSON object"},
		{"a closing brace after the object", checkoutBody("PF-1", "IN", "") + `}`, "request: data after the JSON object"},
		{"a closing bracket after the object", checkoutBody("PF-1", "IN", "") + `]`, "request: data after the JSON object"},
		{"an unknown sku", checkoutBody("PF-1", "IN", "")[:8] + `X` + checkoutBody("PF-1", "IN", "")[8:], "sku: "},
		{"no serial", checkoutBody("", "IN", ""), "footprint: serial: required"},
		{"a country name", checkoutBody("PF-1", "India", ""), "footprint: use.country: must be an upper-case ISO 3166-1 alpha-2"},
		{"an unknown project", checkoutBody("PF-1", "IN", "no-such-project"), "registry: "},
	}
	for _, tc := range tests {
		code, body := post(t, srv.URL+"/checkout", tc.body)
		if code != http.StatusBadRequest || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tc.why, code, body, tc.want)
		}
	}
}

// A checkout accepts a serial exactly when the unit can then be fetched
// and returned by its path (the serial escaped as a URL path segment):
// dots, spaces, %, ? and # are fine; ".", ".." and a "/" are refused with
// 400, as the router would clean them out of the path.
func TestSerialInPaths(t *testing.T) {
	srv, _ := newTestServer(t)
	tests := []struct {
		serial string
		ok     bool
	}{
		{"PF.1", true}, {"...", true}, {".PF-1", true}, {"PF 1", true}, {"PF%2F1", true}, {"PF?1#2", true}, {`PF\1`, true},
		{".", false}, {"..", false}, {"PF/1", false}, {"../PF-1", false}, {"/", false},
	}
	for _, tc := range tests {
		code, body := post(t, srv.URL+"/checkout", checkoutBody(tc.serial, "IN", ""))
		if !tc.ok {
			if code != http.StatusBadRequest || !strings.Contains(string(body), `serial: must not be \".\" or \"..\" or contain \"/\"`) {
				t.Errorf("checkout of %q: %d %s, want 400 naming the serial", tc.serial, code, body)
			}
			continue
		}
		if code != http.StatusOK {
			t.Errorf("checkout of %q: %d %s", tc.serial, code, body)
			continue
		}
		resp, err := http.Get(srv.URL + "/certificates/" + url.PathEscape(tc.serial))
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if c, err := certificate.Parse(bytes.TrimSpace(body)); resp.StatusCode != http.StatusOK || err != nil || c.Product.Serial != tc.serial {
			t.Errorf("GET the certificate of %q: %d %s", tc.serial, resp.StatusCode, body)
		}
		if code, body := post(t, srv.URL+"/returns/"+url.PathEscape(tc.serial), ""); code != http.StatusOK {
			t.Errorf("return of %q: %d %s", tc.serial, code, body)
		}
	}
}

// A body over 16 KiB is refused as too large.
func TestCheckoutTooLarge(t *testing.T) {
	srv, _ := newTestServer(t)
	body := `{"sku":"REF-14-16-512","serial":"` + strings.Repeat("x", 17<<10) + `","country":"IN"}`
	if code, _ := post(t, srv.URL+"/checkout", body); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 17 KiB body: %d, want 413", code)
	}
	// A small object followed by 17 KiB of spaces is too large as well.
	body = checkoutBody("PF-1", "IN", "") + strings.Repeat(" ", 17<<10) + "x"
	if code, _ := post(t, srv.URL+"/checkout", body); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("an object and 17 KiB of spaces: %d, want 413", code)
	}
}

// A certificate to verify over certificate.MaxSize is refused as too
// large, as an oversize checkout is; one of exactly MaxSize bytes is read
// (and is not a valid certificate).
func TestVerifyTooLarge(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := post(t, srv.URL+"/verify", strings.Repeat(" ", certificate.MaxSize+1))
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "request body too large") {
		t.Fatalf("a body of MaxSize+1 bytes: %d %s, want 413", code, body)
	}
	if code, body := post(t, srv.URL+"/verify", strings.Repeat(" ", certificate.MaxSize)); code != http.StatusOK || !strings.Contains(string(body), `"valid":false`) {
		t.Fatalf("a body of MaxSize bytes: %d %s, want 200 and not valid", code, body)
	}
}

// A return racing a checkout of the same unit, many times over: whatever
// order they run in, a certificate is live (kept and valid) exactly when
// the registry holds an allocation for the unit, and every certificate the
// checkouts handed out either is that live one or has been revoked.
func TestReturnRacesCheckout(t *testing.T) {
	srv, s := newTestServer(t)
	for i := 0; i < 40; i++ {
		var wg sync.WaitGroup
		var sold []byte
		wg.Add(2)
		go func() {
			defer wg.Done()
			if code, body := post(t, srv.URL+"/checkout", checkoutBody("PF-RACE", "IN", "")); code == http.StatusOK {
				sold = body
			}
		}()
		go func() {
			defer wg.Done()
			post(t, srv.URL+"/returns/PF-RACE", "")
		}()
		wg.Wait()
		_, held := s.reg.Allocation("PF-RACE")
		resp, err := http.Get(srv.URL + "/certificates/PF-RACE")
		if err != nil {
			t.Fatal(err)
		}
		live, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if held != (resp.StatusCode == http.StatusOK) {
			t.Fatalf("round %d: registry holds an allocation: %v; certificate kept: %d", i, held, resp.StatusCode)
		}
		if sold != nil && !bytes.Equal(sold, live) {
			code, v := post(t, srv.URL+"/verify", string(sold))
			if code != http.StatusOK || !strings.Contains(string(v), "revoked") {
				t.Fatalf("round %d: a certificate handed out is neither live nor revoked: %s", i, v)
			}
		}
		if held {
			if code, v := post(t, srv.URL+"/verify", string(live)); !strings.Contains(string(v), `"valid":true`) {
				t.Fatalf("round %d: the live certificate does not verify: %d %s", i, code, v)
			}
			post(t, srv.URL+"/returns/PF-RACE", "")
		}
	}
}

// lostAnswerStore stores every Append, but when armed reports it failed and
// fails the read-back too: a commit whose answer and confirmation were
// both lost, which the registry cannot tell from a failure.
type lostAnswerStore struct {
	*registry.MemStore
	armed, failRead atomic.Bool
}

func (s *lostAnswerStore) Append(ctx context.Context, es []registry.Entry) error {
	if err := s.MemStore.Append(ctx, es); err != nil {
		return err
	}
	if s.armed.Swap(false) {
		s.failRead.Store(true)
		return errors.New("connection reset by peer")
	}
	return nil
}

func (s *lostAnswerStore) Read(ctx context.Context, from uint64, max int) ([]registry.Entry, error) {
	if s.failRead.Swap(false) {
		return nil, errors.New("connection reset by peer")
	}
	return s.MemStore.Read(ctx, from, max)
}

// A return whose answer was lost (the release stored, the shop told 500)
// is retried: the retry finds nothing to release, and revokes the
// certificate of the allocation the registry no longer holds. Before, the
// certificate stayed valid while its grams were sold to the next unit.
func TestReturnWithLostAnswerRevokes(t *testing.T) {
	st := &lostAnswerStore{MemStore: registry.NewMemStore()}
	var ticks atomic.Int64
	start := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	s, err := newShop(context.Background(), st, testKey, now)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.handler())
	t.Cleanup(hs.Close)
	code, first := post(t, hs.URL+"/checkout", checkoutBody("PF-A", "IN", "sample-in-wind"))
	if code != http.StatusOK {
		t.Fatal(code, string(first))
	}
	st.armed.Store(true)
	if code, body := post(t, hs.URL+"/returns/PF-A", ""); code != http.StatusInternalServerError ||
		bytes.Contains(body, []byte("connection reset")) || !bytes.Contains(body, []byte("retry")) {
		t.Fatalf("the return whose answer is lost: %d %s, want 500 asking for a retry, without the store's error", code, body)
	}
	code, body := post(t, hs.URL+"/returns/PF-A", "")
	if code != http.StatusOK || !bytes.Contains(body, []byte(`"revoked"`)) {
		t.Fatalf("the retried return: %d %s, want 200 and the certificate revoked", code, body)
	}
	_, verdict := post(t, hs.URL+"/verify", string(first))
	if !bytes.Contains(verdict, []byte(`"valid":false`)) {
		t.Errorf("the returned unit's certificate: %s, want it revoked", verdict)
	}
	if code, body := post(t, hs.URL+"/returns/PF-A", ""); code != http.StatusNotFound {
		t.Errorf("a third return: %d %s, want 404 (nothing held, nothing to revoke)", code, body)
	}
}
