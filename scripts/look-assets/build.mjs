// Bundle the front-end assets of kgtool.look into kgtool/look/static/vendor/:
//   vega.min.js      Vega and vega-interpreter as one script (window.vega), bundled by esbuild
//   cytoscape.min.js Cytoscape.js, its own minified build
//   world-atlas/countries-50m.json  Natural Earth 1:50m countries as TopoJSON
//   LICENSES.txt     the licence of every npm package whose code is in those files
//   MANIFEST.json    package versions (from package-lock.json) and the sha256 of each file
// Run by scripts/build-look-assets after `npm ci`; the output is committed.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'kgtool', 'look', 'static', 'vendor');
const modules = join(here, 'node_modules');
mkdirSync(join(out, 'world-atlas'), { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'vega-entry.js')],
  bundle: true, minify: true, format: 'iife', globalName: 'vega', target: 'es2020',
  legalComments: 'none', metafile: true, outfile: join(out, 'vega.min.js'),
});
copyFileSync(join(modules, 'cytoscape', 'dist', 'cytoscape.min.js'), join(out, 'cytoscape.min.js'));
copyFileSync(join(modules, 'world-atlas', 'countries-50m.json'),
             join(out, 'world-atlas', 'countries-50m.json'));

// The packages whose files went into the bundle, and the two copied whole.
const packages = new Set(['cytoscape', 'world-atlas']);
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));
const licences = [];
const versions = {};
for (const name of [...packages].sort()) {
  const dir = join(modules, name);
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  versions[name] = lock.packages[`node_modules/${name}`].version;
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${meta.license}`;
  licences.push(`${name} ${versions[name]} (${meta.license})\n${'='.repeat(72)}\n${text}\n`);
}
writeFileSync(join(out, 'LICENSES.txt'), licences.join('\n'));

const files = ['vega.min.js', 'cytoscape.min.js', 'world-atlas/countries-50m.json', 'LICENSES.txt'];
const sha256 = Object.fromEntries(files.map((f) => [f, createHash('sha256')
  .update(readFileSync(join(out, f))).digest('hex')]));
writeFileSync(join(out, 'MANIFEST.json'),
              JSON.stringify({ packages: versions, sha256 }, null, 2) + '\n');
console.log(`wrote ${files.length} files for ${packages.size} packages into ${out}`);
