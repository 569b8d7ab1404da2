// Reads a JSON array of registry journal entries, each
// {seq, unix, nanos, kind, serial, prev, body} with body the entry's JSON
// body as stored (a string) and the time as Unix seconds and nanoseconds,
// and writes a JSON array of the hashes the registry's documented rule
// gives: the hex SHA-256 of the RFC 8785 canonical JSON (npm canonicalize)
// of {body: hex SHA-256 of the body with the whitespace between JSON tokens
// removed, kind, prev, seq, serial, time: RFC 3339 in UTC with as many
// fractional-second digits as needed}. Used by the Go interoperability test
// of package registry.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// compact removes whitespace outside JSON strings.
function compact(text) {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      out += ch;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!' \t\r\n'.includes(ch)) {
      out += ch;
    }
  }
  return out;
}

function rfc3339(unix, nanos) {
  const whole = new Date(unix * 1000).toISOString().slice(0, 19);
  const frac = nanos > 0 ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return whole + frac + 'Z';
}

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const entries = JSON.parse(readFileSync(0, 'utf8'));
const hashes = entries.map((e) =>
  sha256(canonicalize({
    body: sha256(compact(e.body)),
    kind: e.kind,
    prev: e.prev,
    seq: e.seq,
    serial: e.serial,
    time: rfc3339(e.unix, e.nanos),
  })));
process.stdout.write(JSON.stringify(hashes));
