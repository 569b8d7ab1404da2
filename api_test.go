package lifecarbon_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The public API stays callable from gophernotes, whose interpreter cannot
// call exported generics or range over functions: no exported package
// (everything outside internal/ and examples/) declares an exported generic
// function, method or type, or an exported function or method that returns
// a function (an iterator). Every package has a doc.go.
func TestPublicAPINotebookFriendly(t *testing.T) {
	fset := token.NewFileSet()
	dirs := map[string]bool{}
	typeDefs := map[string][]ast.Expr{} // every declared type, by name (in any package)
	type result struct {
		name, at string
		typ      ast.Expr
	}
	var results []result // the results of exported functions, checked at the end
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch base := d.Name(); {
			case path != "." && (strings.HasPrefix(base, ".") || base == "node_modules" || base == "testdata"),
				path == "internal", path == "examples", path == "out":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dirs[filepath.Dir(path)] = true
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
					continue
				}
				if d.Type.TypeParams != nil && len(d.Type.TypeParams.List) > 0 {
					t.Errorf("%s: %s is generic", fset.Position(d.Pos()), d.Name)
				}
				if d.Type.Results != nil {
					for _, r := range d.Type.Results.List {
						results = append(results, result{d.Name.Name, fset.Position(d.Pos()).String(), r.Type})
					}
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok {
						continue
					}
					typeDefs[ts.Name.Name] = append(typeDefs[ts.Name.Name], ts.Type)
					if ts.Name.IsExported() && ts.TypeParams != nil && len(ts.TypeParams.List) > 0 {
						t.Errorf("%s: type %s is generic", fset.Position(ts.Pos()), ts.Name)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if isFunc(r.typ, typeDefs, 0) {
			t.Errorf("%s: %s returns a function (an iterator?); return a slice", r.at, r.name)
		}
	}
	if len(dirs) < 6 {
		t.Fatalf("found only %d package folders: %v", len(dirs), dirs)
	}
	for dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "doc.go")); err != nil {
			t.Errorf("package folder %s has no doc.go", dir)
		}
	}
}

// exportedRecv reports whether a method's receiver type is exported.
func exportedRecv(recv *ast.FieldList) bool {
	if len(recv.List) == 0 {
		return false
	}
	x := recv.List[0].Type
	for {
		switch e := x.(type) {
		case *ast.StarExpr:
			x = e.X
		case *ast.IndexExpr:
			x = e.X
		case *ast.IndexListExpr:
			x = e.X
		case *ast.Ident:
			return e.IsExported()
		default:
			return false
		}
	}
}

// isFunc reports whether a result type is a function: a func type, an
// iter.Seq, or a type of this module declared as one (directly or through
// other named types; types are matched by name, in any package, which errs
// on the side of refusing).
func isFunc(x ast.Expr, defs map[string][]ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	var name string
	switch e := x.(type) {
	case *ast.FuncType:
		return true
	case *ast.ParenExpr:
		return isFunc(e.X, defs, depth+1)
	case *ast.IndexExpr:
		return isFunc(e.X, defs, depth+1)
	case *ast.IndexListExpr:
		return isFunc(e.X, defs, depth+1)
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok && id.Name == "iter" {
			return true
		}
		name = e.Sel.Name
	case *ast.Ident:
		name = e.Name
	default:
		return false
	}
	for _, d := range defs[name] {
		if isFunc(d, defs, depth+1) {
			return true
		}
	}
	return false
}
