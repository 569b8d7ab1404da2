package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/lifecarbon/lifecarbon/registry"
)

// FuzzOpen feeds Open journals read from arbitrary JSON: it must never
// panic, must refuse anything Verify refuses, and a journal it accepts
// must reopen to the same head.
func FuzzOpen(f *testing.F) {
	es := journal(f)
	b, _ := json.Marshal(es)
	f.Add(b)
	b, _ = json.Marshal(es[:2])
	f.Add(b)
	f.Add([]byte(`[{"seq":1,"time":"2026-11-29T10:00:00Z","kind":"stock","body":{"projects":[],"lots":[]},"prev":"` + registry.GenesisHash + `","hash":""}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var es []registry.Entry
		if json.Unmarshal(data, &es) != nil {
			return
		}
		// Let through the hash the fuzzer cannot guess, so that the
		// bodies are exercised too.
		prev := registry.GenesisHash
		for i := range es {
			if es[i].Prev == "" {
				es[i].Prev = prev
			}
			if es[i].Hash == "" {
				es[i].Hash = es[i].ComputeHash()
			}
			prev = es[i].Hash
		}
		r, err := registry.Open(context.Background(), sliceStore(es), registry.Options{})
		if err != nil {
			if !errors.Is(err, registry.ErrJournal) {
				t.Fatalf("Open failed without ErrJournal: %v", err)
			}
			return
		}
		if _, err := registry.Verify(es, registry.GenesisHash); err != nil {
			t.Fatalf("Open accepted what Verify refuses: %v", err)
		}
		seq, head := r.Head()
		if seq != uint64(len(es)) {
			t.Fatalf("head at %d after %d entries", seq, len(es))
		}
		r2, err := registry.Open(context.Background(), sliceStore(es), registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s2, h2 := r2.Head(); s2 != seq || h2 != head {
			t.Fatal("reopening gave another head")
		}
	})
}

// sameAllocate reads an allocate body with the fast path alone and with
// the strict path alone, and fails if the fast path accepts a body the
// strict path refuses, or reads it otherwise. It reports whether the fast
// path accepted it.
func sameAllocate(t *testing.T, body []byte) bool {
	t.Helper()
	d1, p1, dj1, ok := registry.FastAllocate(body)
	if !ok {
		return false
	}
	if !json.Valid(body) {
		t.Fatalf("%s: the fast path accepts a body that is not JSON (replay then hashes it as JSON)", body)
	}
	d2, p2, dj2, err := registry.StrictAllocate(body)
	if err != nil {
		t.Fatalf("%s: the fast path accepts a body the strict path refuses: %v", body, err)
	}
	if !reflect.DeepEqual(d1, d2) || !reflect.DeepEqual(p1, p2) || string(dj1) != string(dj2) {
		t.Fatalf("%s: the fast path reads\n%#v\n%#v\n%s\nthe strict path\n%#v\n%#v\n%s", body, d1, p1, dj1, d2, p2, dj2)
	}
	return true
}

// FuzzAllocateBody: whatever an allocate entry's body holds, the fast path
// that replays the bodies the registry writes accepts only what the
// strict path accepts, and reads it alike.
func FuzzAllocateBody(f *testing.F) {
	for _, e := range journal(f) {
		f.Add([]byte(e.Body))
	}
	// A body whose demand names a beneficiary.
	r, st := stocked(f)
	d := windDemand("PF-B", "100")
	d.Beneficiary = "Customer B GmbH & <Co>"
	if _, err := r.Allocate(context.Background(), d); err != nil {
		f.Fatal(err)
	}
	es, err := st.Read(context.Background(), 2, 1)
	if err != nil || len(es) != 1 {
		f.Fatalf("read %d entries, %v", len(es), err)
	}
	f.Add([]byte(es[0].Body))
	f.Add([]byte(`{"demand":{"serial":"S","amount":"1 kg"},"plan":{"serial":"S"}}`))
	f.Add([]byte(`{"demand":{},"plan":{},"demand":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sameAllocate(t, body)
	})
}
