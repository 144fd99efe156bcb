/**
 * Compiles the project's .proto files (src/proto) into one protobufjs JSON descriptor,
 * src/proto/descriptor.json, that the gRPC transport and the emulator load with
 * `Root.fromJSON` (no .proto parsing at run time). Google's well-known types come from
 * protobufjs itself. `--check` fails when the descriptor is not up to date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const dir = fileURLToPath(new URL('../src/proto/', import.meta.url));
const out = join(dir, 'descriptor.json');

function protoFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? protoFiles(join(folder, entry.name)) : entry.name.endsWith('.proto') ? [join(folder, entry.name)] : [],
  );
}

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(dir, target));
/** Every well-known type, so that an Any of any of them decodes to its JSON. */
const WELL_KNOWN = Object.keys(protobuf.common).filter((name) => name.endsWith('.proto'));
root.loadSync(
  [
    ...WELL_KNOWN,
    ...protoFiles(dir)
      .map((file) => relative(dir, file))
      .sort(),
  ],
  { keepCase: false },
);
root.resolveAll();
const json = `${JSON.stringify(root.toJSON(), null, 1)}\n`;

if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== json) {
    console.error('src/proto/descriptor.json is out of date: run node scripts/proto.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(out, json);
}
