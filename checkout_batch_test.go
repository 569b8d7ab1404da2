package lifecarbon_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// batchSales returns 70 sales on the wind project's two lots (20 t and
// 10 t), 500 kg each, with these cases among them:
//
//	3  no serial (a footprint error)
//	5  an unknown project (a registry error: invalid demand)
//	7  sale 1 again (a retry: the same allocation)
//	9  sale 2's serial sold with other preferences (ErrAllocated)
//
// The other 66 ask for 33 t: the 60 up to sale 63 fit in 30 t, and sales
// 64 to 69 cannot be met.
func batchSales() []lifecarbon.Sale {
	sales := make([]lifecarbon.Sale, 70)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-B%02d", i))
	}
	sales[3].Product.Serial = ""
	sales[5].Preferences.Filter.Projects = []string{"no-such-project"}
	sales[7] = sale("SN-B01")
	sales[9] = sale("SN-B02")
	sales[9].Preferences.Rounding = offset.Rounding{}
	return sales
}

// A batch gives, sale by sale, what CheckoutRecorded gives for the same
// sales one after the other on a registry with the same stock: the same
// errors, the same plans and the same certificates byte for byte; and the
// two registries end with the same free grams in every lot.
func TestCheckoutBatchMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	sales := batchSales()
	regB, stB := sampleRegistry(t)
	got, err := lifecarbon.CheckoutBatch(ctx, regB, sales, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sales) {
		t.Fatalf("%d receipts for %d sales", len(got), len(sales))
	}
	regS, _ := sampleRegistry(t)
	for i, s := range sales {
		want, werr := lifecarbon.CheckoutRecorded(ctx, regS, s, testKey, nil)
		g := got[i]
		if (werr == nil) != (g.Err == nil) || (werr != nil && werr.Error() != g.Err.Error()) {
			t.Fatalf("sale %d: batch error %v, one by one %v", i, g.Err, werr)
		}
		if werr != nil {
			continue
		}
		gj, _ := g.Certificate.MarshalJSON()
		wj, _ := want.Certificate.MarshalJSON()
		if string(gj) != string(wj) {
			t.Fatalf("sale %d: certificates differ:\n%s\n%s", i, gj, wj)
		}
		if g.Footprint.InputDigest != want.Footprint.InputDigest || !g.Plan.Amount.Equal(want.Plan.Amount) {
			t.Fatalf("sale %d: footprint or plan differs", i)
		}
		// Both registries journal the allocations in the same order after
		// the stock entry, so they number them alike.
		if g.Seq != want.Seq || g.Seq < 2 {
			t.Fatalf("sale %d: journal entry %d in the batch, %d one by one", i, g.Seq, want.Seq)
		}
	}
	for _, l := range offset.SampleLots() {
		if b, s := regB.Inventory().FreeGrams(l.ID), regS.Inventory().FreeGrams(l.ID); b != s {
			t.Fatalf("lot %s: %d g free after the batch, %d g one by one", l.ID, b, s)
		}
	}
	// 60 allocations of 500 kg fill the 30 t; the journal holds them
	// after the stock entry.
	if n := stB.Len(); n != 1+60 {
		t.Fatalf("journal has %d entries, want 61", n)
	}
}

// The cases listed in batchSales fail for their own reason and only they.
func TestCheckoutBatchErrors(t *testing.T) {
	ctx := context.Background()
	reg, _ := sampleRegistry(t)
	got, err := lifecarbon.CheckoutBatch(ctx, reg, batchSales(), testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantErr := map[int]error{3: footprint.ErrInvalidProduct, 5: offset.ErrInvalidDemand, 9: registry.ErrAllocated}
	for i := 64; i < 70; i++ {
		wantErr[i] = offset.ErrUnmet
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: testKey.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		if want, ok := wantErr[i]; ok {
			if !errors.Is(r.Err, want) || r.Certificate != nil {
				t.Errorf("sale %d: err = %v, certificate %v; want %v and no certificate", i, r.Err, r.Certificate != nil, want)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("sale %d: %v", i, r.Err)
			continue
		}
		if err := r.Certificate.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
			t.Errorf("sale %d: %v", i, err)
		}
		// 500 kg covers the reference laptop (about 230 kg); the amount
		// is the 500 kg tier exactly.
		if r.Plan.Amount.Cmp(r.Footprint.CO2e) < 0 || r.Plan.Amount.Kg().String() != "500" {
			t.Errorf("sale %d: plan of %s for a footprint of %s", i, r.Plan.Amount, r.Footprint.CO2e)
		}
	}
	if got[7].Certificate == nil || got[1].Certificate == nil || got[7].Certificate.ID != got[1].Certificate.ID || got[7].Seq != got[1].Seq {
		t.Fatal("the retried sale 7 did not get sale 1's certificate and allocation")
	}
	if !strings.HasPrefix(got[3].Err.Error(), "footprint: ") || !strings.HasPrefix(got[9].Err.Error(), "registry: ") {
		t.Fatalf("errors not named after their step: %q, %q", got[3].Err, got[9].Err)
	}
	if _, err := lifecarbon.CheckoutBatch(ctx, nil, batchSales(), testKey, nil); err == nil {
		t.Fatal("nil registry accepted")
	}
	if _, err := lifecarbon.CheckoutBatch(ctx, reg, batchSales(), nil, nil); !errors.Is(err, certificate.ErrKey) {
		t.Fatalf("no key: err = %v, want certificate.ErrKey", err)
	}
	if r, err := lifecarbon.CheckoutBatch(ctx, reg, nil, testKey, nil); err != nil || len(r) != 0 {
		t.Fatalf("no sales: %d receipts, err %v", len(r), err)
	}
}

// failingStore refuses every append from entry failFrom on.
type failingStore struct {
	*registry.MemStore
	failFrom uint64
}

var errStoreDown = errors.New("store down")

func (s *failingStore) Append(ctx context.Context, es []registry.Entry) error {
	if len(es) > 0 && es[len(es)-1].Seq >= s.failFrom {
		return errStoreDown
	}
	return s.MemStore.Append(ctx, es)
}

// When the store fails the second run of 256, the first run keeps its
// allocations and certificates, every sale from the second run on carries
// the error, and the same batch again on a working store completes it
// without allocating the first run twice.
func TestCheckoutBatchStoreFailure(t *testing.T) {
	ctx := context.Background()
	st := &failingStore{MemStore: registry.NewMemStore(), failFrom: 1 << 62}
	reg, err := registry.Open(ctx, st, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		t.Fatal(err)
	}
	sales := make([]lifecarbon.Sale, 300)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-F%03d", i))
		sales[i].Preferences = offset.Preferences{Currency: "USD"} // any lot, exact amount
	}
	st.failFrom = 1 + 256 + 1 // the stock entry, run one, then fail
	got, err := lifecarbon.CheckoutBatch(ctx, reg, sales, testKey, nil)
	if !errors.Is(err, errStoreDown) {
		t.Fatalf("err = %v, want the store's error", err)
	}
	for i, r := range got {
		if i < 256 && (r.Err != nil || r.Certificate == nil) {
			t.Fatalf("sale %d of the recorded run: err %v", i, r.Err)
		}
		if i >= 256 && (!errors.Is(r.Err, errStoreDown) || r.Certificate != nil) {
			t.Fatalf("sale %d of the failed run: err %v", i, r.Err)
		}
	}
	st.failFrom = 1 << 62
	again, err := lifecarbon.CheckoutBatch(ctx, reg, sales, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i].Err != nil {
			t.Fatalf("sale %d on the second try: %v", i, again[i].Err)
		}
		if i < 256 && again[i].Certificate.ID != got[i].Certificate.ID {
			t.Fatalf("sale %d was allocated again", i)
		}
	}
	if n := st.Len(); n != 1+300 {
		t.Fatalf("journal has %d entries, want 301", n)
	}
}

// unlockedReader is an io.Reader that is not safe for concurrent use: the
// race detector reports two goroutines reading it at once.
type unlockedReader struct{ n byte }

func (r *unlockedReader) Read(p []byte) (int, error) {
	for i := range p {
		r.n++
		p[i] = r.n
	}
	return len(p), nil
}

// An ECDSA key signs on several goroutines, given one reader that is not
// safe for concurrent use, and every certificate verifies. (Whether
// crypto/ecdsa reads the reader depends on the Go release and GODEBUG;
// TestCheckoutBatchSharesRand checks the sharing whatever it does.)
func TestCheckoutBatchECDSA(t *testing.T) {
	ctx := context.Background()
	key, err := ecdsa.GenerateKey(elliptic.P256(), &unlockedReader{})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: key.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := sampleRegistry(t)
	sales := make([]lifecarbon.Sale, 16)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-E%02d", i))
	}
	got, err := lifecarbon.CheckoutBatch(ctx, reg, sales, key, &unlockedReader{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		if r.Err != nil {
			t.Fatalf("sale %d: %v", i, r.Err)
		}
		if err := r.Certificate.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
			t.Fatalf("sale %d: %v", i, err)
		}
	}
}

// What would stop a certificate apart from the plan is checked before any
// credit is allocated: a signer that cannot sign fails the batch and
// allocates nothing; a sale whose certificate options are incomplete fails
// alone and takes nothing; a done context allocates nothing.
func TestCheckoutBatchChecksBeforeAllocating(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	var nilKey *ecdsa.PrivateKey
	if _, err := lifecarbon.CheckoutBatch(ctx, reg, batchSales()[:4], nilKey, nil); !errors.Is(err, certificate.ErrKey) {
		t.Fatalf("a nil *ecdsa.PrivateKey: err = %v, want certificate.ErrKey", err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := lifecarbon.CheckoutBatch(done, reg, batchSales()[:4], testKey, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a done context: err = %v, want context.Canceled", err)
	}
	if st.Len() != 1 {
		t.Fatalf("journal has %d entries after refused batches, want the stock entry only", st.Len())
	}
	sales := []lifecarbon.Sale{sale("SN-V1"), sale("SN-V2")}
	sales[1].Certificate.IssuedAt = time.Time{}
	got, err := lifecarbon.CheckoutBatch(ctx, reg, sales, testKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	var fe *footprint.FieldError
	if got[0].Err != nil || !errors.As(got[1].Err, &fe) || fe.Field != "issuedAt" || !strings.HasPrefix(got[1].Err.Error(), "certificate: ") {
		t.Fatalf("receipts: %v; %v (want an issuedAt error)", got[0].Err, got[1].Err)
	}
	if _, held := reg.Allocation("SN-V2"); held {
		t.Fatal("the sale without an issue time was allocated credits")
	}
	// CheckoutRecorded checks the same before allocating.
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, sales[1], testKey, nil); !errors.As(err, &fe) || fe.Field != "issuedAt" {
		t.Fatalf("CheckoutRecorded without an issue time: %v", err)
	}
	if _, held := reg.Allocation("SN-V2"); held {
		t.Fatal("CheckoutRecorded allocated credits for a sale it could not certify")
	}
}

// panickySigner is an Ed25519 signer whose Sign panics.
type panickySigner struct{ ed25519.PrivateKey }

func (panickySigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	panic("signer broke")
}

// A panic on a signing goroutine reaches the caller's goroutine, where it
// can be recovered, instead of ending the process.
func TestCheckoutBatchPanicReachesCaller(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // several signing goroutines
	reg, _ := sampleRegistry(t)
	sales := make([]lifecarbon.Sale, 8)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-P%d", i))
	}
	defer func() {
		if p := recover(); p != "signer broke" {
			t.Fatalf("recovered %v, want the signer's panic", p)
		}
	}()
	lifecarbon.CheckoutBatch(context.Background(), reg, sales, panickySigner{testKey}, nil)
	t.Fatal("CheckoutBatch returned")
}

// randSigner is an Ed25519 signer that reads 8 bytes of rand per
// signature, as an HSM client drawing a nonce might: it makes the shared
// reader's use visible to the race detector whatever the crypto packages
// do with rand.
type randSigner struct{ ed25519.PrivateKey }

func (s randSigner) Sign(rand io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	var nonce [8]byte
	if _, err := io.ReadFull(rand, nonce[:]); err != nil {
		return nil, err
	}
	return s.PrivateKey.Sign(nil, msg, opts)
}

// Signing goroutines share the caller's reader, which need not be safe
// for concurrent use (run under -race).
func TestCheckoutBatchSharesRand(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	reg, _ := sampleRegistry(t)
	sales := make([]lifecarbon.Sale, 16)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-S%02d", i))
	}
	got, err := lifecarbon.CheckoutBatch(context.Background(), reg, sales, randSigner{testKey}, &unlockedReader{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		if r.Err != nil || r.Certificate == nil {
			t.Fatalf("sale %d: %v", i, r.Err)
		}
	}
}

// Over random batches (serials that repeat, with the same sale or another,
// sales that fail, preferences that vary, more than one run of 256), every
// receipt is what CheckoutRecorded gives for the same sales one after the
// other on a registry with the same stock.
func TestCheckoutBatchRandomMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 42))
		sales := make([]lifecarbon.Sale, 300+r.IntN(200))
		for i := range sales {
			s := sale(fmt.Sprintf("SN-R%d", r.IntN(len(sales)))) // about a third repeat
			switch r.IntN(6) {
			case 0:
				s.Preferences = offset.Preferences{Currency: "USD"}
			case 1:
				s.Preferences = offset.Preferences{Currency: "EUR", Rounding: offset.RoundToStep(kg(10))}
			case 2:
				s.Preferences.Filter.Projects = []string{"sample-br-redd", "sample-in-wind"}
			case 3:
				s.Product.Use.Country = []string{"DE", "US", "BR", "India"}[r.IntN(4)] // India: refused
			case 4:
				s.Certificate.Issuer.Name = "" // refused before allocating
			}
			sales[i] = s
		}
		regB, _ := sampleRegistry(t)
		got, err := lifecarbon.CheckoutBatch(ctx, regB, sales, testKey, nil)
		if err != nil {
			t.Fatal(err)
		}
		regS, _ := sampleRegistry(t)
		var ok, failed int
		for i, s := range sales {
			want, werr := lifecarbon.CheckoutRecorded(ctx, regS, s, testKey, nil)
			if (werr == nil) != (got[i].Err == nil) || (werr != nil && werr.Error() != got[i].Err.Error()) {
				t.Fatalf("seed %d, sale %d: batch error %v, one by one %v", seed, i, got[i].Err, werr)
			}
			if werr != nil {
				failed++
				continue
			}
			ok++
			gj, _ := got[i].Certificate.MarshalJSON()
			wj, _ := want.Certificate.MarshalJSON()
			if string(gj) != string(wj) {
				t.Fatalf("seed %d, sale %d: certificates differ", seed, i)
			}
		}
		if ok < 50 || failed < 50 {
			t.Fatalf("seed %d: %d sales certified, %d refused: the mix is too one-sided to test", seed, ok, failed)
		}
		if b, s := regB.Inventory().TotalFreeGrams(), regS.Inventory().TotalFreeGrams(); b != s {
			t.Fatalf("seed %d: %d g free after the batch, %d g one by one", seed, b, s)
		}
	}
}

// exitingSigner is an Ed25519 signer whose Sign ends its goroutine, as
// t.FailNow in a test double would.
type exitingSigner struct{ ed25519.PrivateKey }

func (exitingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	runtime.Goexit()
	return nil, nil
}

// A signing goroutine that exits ends the caller's goroutine too, as the
// same call would on one core; CheckoutBatch does not return receipts
// with neither a certificate nor an error.
func TestCheckoutBatchGoexitReachesCaller(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	reg, _ := sampleRegistry(t)
	sales := make([]lifecarbon.Sale, 8)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("SN-X%d", i))
	}
	returned := make(chan bool, 1)
	go func() {
		ok := false
		defer func() { returned <- ok }()
		lifecarbon.CheckoutBatch(context.Background(), reg, sales, exitingSigner{testKey}, nil)
		ok = true
	}()
	if <-returned {
		t.Fatal("CheckoutBatch returned after a signing goroutine exited")
	}
}

// An ECDSA key without a random source, or a certificate serial that is
// not the product's, would fail only when signing or building the
// certificate: the checkouts refuse them before allocating.
func TestCheckoutRefusesBeforeAllocating(t *testing.T) {
	ctx := context.Background()
	reg, st := sampleRegistry(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), &unlockedReader{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, sale("SN-Q1"), ec, nil); !errors.Is(err, certificate.ErrKey) || strings.HasPrefix(err.Error(), "certificate: certificate:") {
		t.Fatalf("ECDSA without rand: %v, want certificate.ErrKey, prefixed once", err)
	}
	if _, err := lifecarbon.CheckoutBatch(ctx, reg, batchSales()[:3], ec, nil); !errors.Is(err, certificate.ErrKey) {
		t.Fatalf("CheckoutBatch, ECDSA without rand: %v, want certificate.ErrKey", err)
	}
	s := sale("SN-Q2")
	s.Certificate.Serial = "SN-OTHER"
	var fe *footprint.FieldError
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil); !errors.As(err, &fe) || fe.Field != "serial" || !errors.Is(err, certificate.ErrInvalid) {
		t.Fatalf("another certificate serial: %v", err)
	}
	if st.Len() != 1 {
		t.Fatalf("journal has %d entries, want the stock entry only", st.Len())
	}
	s.Certificate.Serial = "SN-Q2" // the same serial, stated: accepted
	if _, err := lifecarbon.CheckoutRecorded(ctx, reg, s, testKey, nil); err != nil {
		t.Fatal(err)
	}
}
