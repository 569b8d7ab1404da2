package registry_test

import (
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/registry"
)

// TestAllocateFastPath: the allocate bodies a registry writes take the
// fast path, and for them and thousands of variants the fast path accepts
// only what the strict path accepts, reading it alike (sameAllocate).
func TestAllocateFastPath(t *testing.T) {
	var bodies []string
	for _, e := range journal(t) {
		if e.Kind == registry.KindAllocate {
			bodies = append(bodies, string(e.Body))
		}
	}
	if len(bodies) == 0 {
		t.Fatal("no allocate entry")
	}
	stride := 3
	if testing.Short() {
		stride = 17
	}
	n, fast := 0, 0
	for k, b := range bodies {
		if !sameAllocate(t, []byte(b)) {
			t.Errorf("a body the registry wrote does not take the fast path: %s", b)
		}
		var vs []string
		for i := k % stride; i < len(b); i += stride {
			vs = append(vs, b[:i], b[:i]+" "+b[i:])
			for _, c := range []string{"", "0", "\"", "}", "]", "\\", "A", "\xff"} {
				vs = append(vs, b[:i]+c+b[i+1:])
			}
		}
		demand, plan, _ := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(b, "}"), `{"demand":`), `,"plan":`)
		vs = append(vs,
			`{"plan":`+plan+`,"demand":`+demand+`}`,
			`{"demand":`+demand+`,"plan":`+plan+`,"plan":`+plan+`}`,
			`{"demand":`+demand+`,"Plan":`+plan+`}`,
			`{"demand":`+demand+`,"plan":`+plan+`,"x":1}`,
			`{"demand":`+demand+`,"plan":null}`,
			`{"demand":`+demand+`}`,
			`{"demand":`+demand+`,"plan":`+plan+`} `,
			`{"demand":`+demand+`,"plan":`+plan+`}{}`,
			`{"demand":`+demand+`,"plan":`+plan+`}}`,
			`{"demand":`+demand+`,"plan":`+plan+`]`,
			`{"demand":`+demand+`,"plan":`+strings.Replace(plan, `"serial":`, `"\xff":1,"serial":`, 1)+`}`,
			`{"demand":`+strings.Replace(demand, `"serial":`, `"\xff":1,"serial":`, 1)+`,"plan":`+plan+`}`,
			`{"demand":`+strings.Replace(demand, `"serial":"`, `"serial":"\xff`, 1)+`,"plan":`+plan+`}`,
			`{"demand":`+strings.Replace(demand, `"serial":"`, `"serial":"}{`, 1)+`,"plan":`+plan+`}`,
			`{"demand":`+strings.Replace(demand, `"serial":"`, `"serial":"\"}`, 1)+`,"plan":`+plan+`}`,
			`{"demand":`+strings.Replace(demand, `,`, ` , `, 1)+`,"plan":`+plan+`}`,
			`{"demand":`+demand+`,"plan":`+strings.Replace(plan, `,`, ` , `, 1)+`}`,
		)
		for _, v := range vs {
			n++
			if sameAllocate(t, []byte(v)) {
				fast++
			}
		}
	}
	t.Logf("%d variants, %d of them on the fast path", n, fast)
}
