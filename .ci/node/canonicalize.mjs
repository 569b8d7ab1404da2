// Reads a JSON array of JSON texts on stdin and writes a JSON array of their
// RFC 8785 canonical forms (npm "canonicalize", the reference implementation
// by the RFC's authors). Used by the Go interoperability tests.
import canonicalize from 'canonicalize';
import { readFileSync } from 'node:fs';

const docs = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(docs.map((d) => canonicalize(JSON.parse(d)))));
