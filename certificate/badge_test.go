package certificate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// hostileCertificate puts markup, quotes, CDATA terminators, controls and
// non-ASCII text into every caller-supplied string the badge and page show.
func hostileCertificate(t testing.TB) *Certificate {
	c := sampleCertificate()
	evil := `<script>alert("x")</script>]]>'&"` + "\u0007é北京🌱"
	c.Issuer.Name = evil
	c.Issuer.URL = `javascript:alert(1)`
	c.Product.Manufacturer = evil
	c.Product.Model = `"><img src=x onerror=alert(1)>`
	c.Product.Serial = `PF-<b>3X7</b>]]>"'&` + "\u2028北京"
	c.Footprint.Stages[0].Stage = evil
	c.Footprint.Dataset.Name = evil
	c.Offsets[0].Type = `<svg onload=alert(1)>`
	c.Offsets[0].ProjectName = evil
	c.Offsets[1].Credits[0].Serial = evil
	c.Beneficiary = evil
	c.Tier.Name = evil
	c.ID = `lc-<x>"'&]]>`
	if err := c.Sign(testKey(), nil); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadgeEscapes(t *testing.T) {
	c := hostileCertificate(t)
	opts := VerifyOptions{Keys: testKeys(t)}
	svg, err := c.Badge(opts)
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Page(opts)
	if err != nil {
		t.Fatal(err)
	}
	// The SVG is well-formed XML, and its text is the caller's text.
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	elems := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("badge is not well-formed XML: %v\n%s", err, svg)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			elems++
			if v.Name.Local == "script" || v.Name.Local == "img" || v.Name.Local == "b" {
				t.Errorf("injected element <%s>", v.Name.Local)
			}
			for _, a := range v.Attr {
				if strings.HasPrefix(a.Name.Local, "on") {
					t.Errorf("injected attribute %s", a.Name.Local)
				}
			}
		case xml.CharData:
			texts = append(texts, string(v))
		}
	}
	joined := strings.Join(texts, "|")
	if !strings.Contains(joined, "Serial: PF-<b>3X7</b>]]>\"'&") || !strings.Contains(joined, "Project types: <svg onload=alert(1)>") {
		t.Errorf("texts: %q", joined)
	}
	for _, raw := range []string{"<script", "<b>", "]]>", "<img", "<svg onload", "\u0007"} {
		if bytes.Contains(svg[4:], []byte(raw)) {
			t.Errorf("badge holds raw %q", raw)
		}
		// (html/template leaves control characters in text as they are:
		// harmless in HTML, so the page is not checked for them.)
		if raw != "<script" && raw != "\u0007" && bytes.Contains(page, []byte(raw)) {
			t.Errorf("page holds raw %q", raw)
		}
	}
	if bytes.Contains(page, []byte("<script")) || bytes.Contains(page, []byte(`href="javascript:`)) {
		t.Error("page holds a script or a javascript: link")
	}
	for _, want := range []string{"北京", "é", "🌱"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lost %q", want)
		}
	}
	// Unverified certificates get neither.
	c.Product.Serial = "changed"
	if _, err := c.Badge(opts); !errors.Is(err, ErrSignature) {
		t.Errorf("badge of a tampered certificate: %v", err)
	}
	if _, err := c.Page(opts); !errors.Is(err, ErrSignature) {
		t.Errorf("page of a tampered certificate: %v", err)
	}
}

func TestBadgeGolden(t *testing.T) {
	c := signedSample(t)
	svg, err := c.Badge(VerifyOptions{Keys: testKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "badge.golden.svg", append(svg, '\n'))
	page, err := c.Page(VerifyOptions{Keys: testKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "page.golden.html", page)
}

func TestDisplayKg(t *testing.T) {
	cases := []struct{ kg, want, why string }{
		{"1000", "1000 kg", "whole"},
		{"508.25", "508.25 kg", "two decimals exact"},
		{"508.201", "508.201 kg", "whole grams exact"},
		{"259.647", "259.647 kg", "the reference laptop's offset, exact (it showed as ≥ 259.65 kg, more than was covered)"},
		{"0.001", "0.001 kg", "one gram"},
		{"508.2015", "≥ 508.201 kg", "a fraction of a gram: cut down and marked"},
		{"0.0004", "< 0.001 kg", "less than a gram never shows as 0"},
	}
	for _, c := range cases {
		if got := displayKg(co2(c.kg + " kg").Kg()); got != c.want {
			t.Errorf("%s (%s): %s, want %s", c.kg, c.why, got, c.want)
		}
	}
}

// chromium returns the path of a Chromium binary or skips.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skipOrFail(t, "Chromium not found (Debian: apt-get install -y chromium, or .ci/chromium.sh)")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	profile := t.TempDir()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir=" + profile}
	cmd := exec.Command(bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("chromium timed out\n%s", stderr.Bytes())
	}
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.Bytes())
	}
	return out
}

// measureScript measures, in the rendered page, every <text> of every
// inline SVG against its viewBox, counts scripts and records errors, and
// writes the result as JSON into <pre id="measure">.
const measureScript = `<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message)));
window.addEventListener('load', () => {
  const res = {errors: window.__errors, svgs: [], scripts: document.querySelectorAll('script').length, imgs: document.querySelectorAll('img').length};
  for (const svg of document.querySelectorAll('svg')) {
    const vb = svg.viewBox.baseVal;
    const s = {viewBox: [vb.x, vb.y, vb.width, vb.height], texts: []};
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      s.texts.push({text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height,
        inside: b.x >= vb.x && b.y >= vb.y && b.x + b.width <= vb.x + vb.width && b.y + b.height <= vb.y + vb.height});
    }
    res.svgs.push(s);
  }
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(res);
  document.body.appendChild(pre);
});
</script>`

type measurement struct {
	Errors []string `json:"errors"`
	Svgs   []struct {
		ViewBox []float64 `json:"viewBox"`
		Texts   []struct {
			Text   string  `json:"text"`
			X      float64 `json:"x"`
			Y      float64 `json:"y"`
			W      float64 `json:"w"`
			H      float64 `json:"h"`
			Inside bool    `json:"inside"`
		} `json:"texts"`
	} `json:"svgs"`
	Scripts int `json:"scripts"`
	Imgs    int `json:"imgs"`
}

var measureRE = regexp.MustCompile(`(?s)<pre id="measure">(.*?)</pre>`)

func measure(t *testing.T, bin, html string) measurement {
	t.Helper()
	path := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := runChromium(t, bin, "--dump-dom", "file://"+path)
	m := measureRE.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("no measurement in the DOM:\n%s", dom)
	}
	var res measurement
	if err := json.Unmarshal([]byte(htmlUnescape(string(m[1]))), &res); err != nil {
		t.Fatalf("%v: %s", err, m[1])
	}
	return res
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&").Replace(s)
}

// TestChromiumRender renders the badge (alone, and inside the certificate
// page) in headless Chromium and checks that no error occurs, that no
// caller string became a script or an element, and that every text of
// the badge lies inside its viewBox. Certificates: the sample, the
// hostile one, and one with very long and wide (CJK) strings.
func TestChromiumRender(t *testing.T) {
	bin := chromium(t)
	opts := VerifyOptions{Keys: testKeys(t)}
	long := sampleCertificate()
	long.Product.Serial = strings.Repeat("北京市朝阳区", 20)
	long.Offsets[0].Type = strings.Repeat("W", 100)
	long.Offsets[1].Type = strings.Repeat("🌱", 50)
	long.ID = strings.Repeat("m", 100)
	if err := long.Sign(testKey(), nil); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Certificate{"sample": signedSample(t), "hostile": hostileCertificate(t), "long": long} {
		t.Run(name, func(t *testing.T) {
			svg, err := c.Badge(opts)
			if err != nil {
				t.Fatal(err)
			}
			page, err := c.Page(opts)
			if err != nil {
				t.Fatal(err)
			}
			// The page forbids scripts by CSP; the test removes that one
			// line to run its own measuring script.
			testPage := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`).ReplaceAllString(string(page), "")
			testPage = strings.Replace(testPage, "</body>", measureScript+"</body>", 1)
			alone := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + string(svg) + measureScript + "</body></html>"
			for which, html := range map[string]string{"badge": alone, "page": testPage} {
				res := measure(t, bin, html)
				if len(res.Errors) > 0 {
					t.Errorf("%s: errors %q", which, res.Errors)
				}
				if res.Scripts != 1 || res.Imgs != 0 {
					t.Errorf("%s: %d scripts, %d images (want only the test's script)", which, res.Scripts, res.Imgs)
				}
				if len(res.Svgs) != 1 || len(res.Svgs[0].Texts) != 5 {
					t.Fatalf("%s: %+v", which, res.Svgs)
				}
				t.Logf("%s: %+v", which, res.Svgs[0].Texts)
				for _, tx := range res.Svgs[0].Texts {
					if !tx.Inside || tx.W <= 0 {
						t.Errorf("%s: text %q at (%.1f, %.1f) size %.1f×%.1f is outside the viewBox %v",
							which, tx.Text, tx.X, tx.Y, tx.W, tx.H, res.Svgs[0].ViewBox)
					}
				}
			}
		})
	}
}

// TestChromiumScreenshot writes docs/badge.png (the screenshot the package
// documentation shows) when run with -update.
func TestChromiumScreenshot(t *testing.T) {
	if !*update {
		t.Skip("run with -update to refresh docs/badge.png")
	}
	bin := chromium(t)
	svg, err := signedSample(t).Badge(VerifyOptions{Keys: testKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html := `<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff}svg{display:block;margin:8px}</style></head><body>` + string(svg) + `</body></html>`
	path := filepath.Join(dir, "badge.html")
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := filepath.Abs(filepath.Join("..", "docs", "badge.png"))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	runChromium(t, bin, "--hide-scrollbars", "--window-size=376,148", "--force-device-scale-factor=2", "--screenshot="+out, "file://"+path)
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("no screenshot: %v", err)
	}
}
