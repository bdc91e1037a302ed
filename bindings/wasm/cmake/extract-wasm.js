// node extract-wasm.js SINGLE.js OUT.wasm: the module that -sSINGLE_FILE=1 embedded in SINGLE.js (one
// base64 data URI), written out as a separate .wasm: the same bytes a second link without
// SINGLE_FILE gives, without the second link.
'use strict';
const fs = require('fs');
const [js, out] = process.argv.slice(2);
const uris = fs.readFileSync(js, 'utf8').match(/data:application\/octet-stream;base64,[A-Za-z0-9+/=]+/g) || [];
if (uris.length !== 1) {
  console.error(`extract-wasm: expected one embedded module in ${js}, found ${uris.length}`);
  process.exit(1);
}
const bytes = Buffer.from(uris[0].slice(uris[0].indexOf(',') + 1), 'base64');
if (bytes.readUInt32LE(0) !== 0x6d736100) {
  console.error(`extract-wasm: the data in ${js} is not a WebAssembly module`);
  process.exit(1);
}
fs.writeFileSync(out, bytes);
