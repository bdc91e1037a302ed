// The module's size (issue 21: "the .wasm stays under 1 MB") and what kept it over: iostreams and
// locales (about 60 KB with the wide-character and money facets a stream drags in) must not come back
// into the module, and the single-file build must carry the same module as dist/attune_wasm.wasm.
// Usage: node bindings/wasm/test/size.test.js   (after bindings/wasm/build.sh)
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const dist = path.resolve(__dirname, '../dist');
const wasm = fs.readFileSync(path.join(dist, 'attune_wasm.wasm'));
assert(wasm.length <= 1000000, `attune_wasm.wasm is ${wasm.length} bytes, over 1,000,000 (issue 21)`);

// A stream's type names stay in the module's data (RTTI) whenever one is used anywhere reachable:
// std::ostringstream in the plan's text renderer and the plan compiler once cost 70 KB of code.
const text = wasm.toString('latin1');
for (const type of ['basic_ostream', 'basic_istream', 'basic_stringbuf', 'basic_filebuf']) {
  assert(!text.includes(type), `attune_wasm.wasm holds std::${type}: an iostream came back into the WebAssembly path (about 60 KB); use std::string or snprintf`);
}

// dist/attune_wasm.wasm is written out of the single-file build; both must be the same module.
const single = fs.readFileSync(path.join(dist, 'attune_wasm.js'), 'utf8');
const uri = single.match(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/);
assert(uri, 'attune_wasm.js embeds no module');
assert(Buffer.from(uri[1], 'base64').equals(wasm), 'attune_wasm.js and attune_wasm.wasm hold different modules');
console.log(`size.test.js: attune_wasm.wasm ${wasm.length} bytes, no iostreams, the same module in attune_wasm.js`);
