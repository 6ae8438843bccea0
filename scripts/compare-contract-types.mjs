#!/usr/bin/env node
// Compares the types in openapi/killbill.json with Kill Bill's Swagger 2.0 contract: every schema
// property (type, format, enum, items, $ref) and `required` list, every path/query parameter (type,
// repetition, required, default), request bodies and response schemas, for the operations and
// schemas both have. Not run by the build or the tests (the contract is not part of the repository).
//
//   node scripts/compare-contract-types.mjs PATH/TO/killbill-swagger.json [openapi/killbill.json]
import { readFileSync } from 'node:fs';
if (!process.argv[2]) {
  console.error('usage: compare-contract-types.mjs REFERENCE.json [OURS.json]');
  process.exit(2);
}
const ref = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ours = JSON.parse(readFileSync(process.argv[3] || 'openapi/killbill.json', 'utf8'));
const out = [];
const norm = (p) => p.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
function shape(s, doc) {
  // normalise to a comparable string
  if (!s) return 'NONE';
  if (s.$ref) return 'ref:' + s.$ref.split('/').pop();
  if (s.allOf && s.allOf.length === 1) return shape(s.allOf[0]);
  let t = s.type || 'UNTYPED';
  if (s.format) t += '/' + s.format;
  if (s.enum) t += '[' + [...s.enum].sort().join(',') + ']';
  if (t.startsWith('array')) t += '<' + shape(s.items) + '>';
  if (s.type === 'object' && s.additionalProperties) t += '{' + shape(s.additionalProperties === true ? {} : s.additionalProperties) + '}';
  return t;
}
for (const [n, s] of Object.entries(ours.components.schemas)) {
  const r = ref.definitions[n];
  if (!r) {
    out.push(`schema ${n}: not in contract`);
    continue;
  }
  for (const [p, v] of Object.entries(s.properties || {})) {
    const rv = r.properties?.[p];
    if (!rv) {
      out.push(`${n}.${p}: not in contract`);
      continue;
    }
    const a = shape(v),
      b = shape(rv);
    if (a !== b) out.push(`${n}.${p}: ours ${a} contract ${b}`);
  }
  for (const p of Object.keys(r.properties || {})) if (!s.properties?.[p]) out.push(`${n}.${p}: missing`);
  const ra = [...(r.required || [])].sort().join(','),
    oa = [...(s.required || [])].sort().join(',');
  if (ra !== oa) out.push(`${n} required: ours [${oa}] contract [${ra}]`);
}
const refOps = new Map();
for (const [p, item] of Object.entries(ref.paths)) for (const [m, op] of Object.entries(item)) refOps.set(m + ' ' + norm(p), op);
for (const [p, item] of Object.entries(ours.paths))
  for (const [m, op] of Object.entries(item)) {
    const r = refOps.get(m + ' ' + norm(p));
    if (!r) {
      out.push(`op ${m} ${p} not in contract`);
      continue;
    }
    for (const prm of op.parameters || []) {
      if (prm.in === 'header') continue;
      const rp = (r.parameters || []).find((x) => x.name === prm.name && x.in === prm.in);
      if (!rp) {
        out.push(`${r.operationId} ${prm.in} ${prm.name}: not in contract`);
        continue;
      }
      const a = shape(prm.schema);
      const b = shape(rp.type === 'array' ? { type: 'array', items: rp.items } : rp);
      if (a !== b) out.push(`${r.operationId} ${prm.in} ${prm.name}: ours ${a} contract ${b}`);
      if (rp.collectionFormat === 'multi' && prm.explode === false) out.push(`${r.operationId} ${prm.name}: explode false`);
      if (!!rp.required !== !!prm.required) out.push(`${r.operationId} ${prm.name}: required ours ${!!prm.required} contract ${!!rp.required}`);
      if (rp.default !== undefined && JSON.stringify(rp.default) !== JSON.stringify(prm.schema?.default))
        out.push(`${r.operationId} ${prm.name}: default ours ${JSON.stringify(prm.schema?.default)} contract ${JSON.stringify(rp.default)}`);
    }
    for (const rp of r.parameters || [])
      if (rp.in !== 'header' && rp.in !== 'body' && !(op.parameters || []).some((x) => x.name === rp.name && x.in === rp.in))
        out.push(`${r.operationId} ${rp.in} ${rp.name}: missing`);
    const body = (r.parameters || []).find((x) => x.in === 'body');
    if (body) {
      const ob = op.requestBody?.content;
      const s = ob && Object.values(ob)[0]?.schema;
      const a = shape(s),
        b = shape(body.schema);
      if (a !== b) out.push(`${r.operationId} body: ours ${a} contract ${b} (${ob && Object.keys(ob)})`);
    }
    for (const [code, resp] of Object.entries(r.responses || {})) {
      const o = op.responses?.[code];
      if (!o) {
        out.push(`${r.operationId} response ${code}: missing`);
        continue;
      }
      const os = o.content && Object.values(o.content)[0]?.schema;
      const a = shape(os),
        b = shape(resp.schema);
      if (a !== b) out.push(`${r.operationId} response ${code}: ours ${a} contract ${b}`);
    }
  }
console.log(out.join('\n'));
console.log(out.length, 'differences');
