// How the main bundle (dist/openclaw.cjs) is laid out for bin/run.js, which compiles it itself on
// every start (through V8's code cache, scripts/build.mjs).
//
// Pure ASCII: bin/run.js reads dist/openclaw.cjs as UTF-8 on every start, and
// V8 decodes a pure ASCII file with a block copy; one non-ASCII character (ansis's strip regex holds a
// raw U+009B) sends the whole rest of the megabyte through the per-character decoder: ~15 M more
// instructions (~4 %) for every `config get`. esbuild escapes non-ASCII text in strings and
// identifiers but leaves regular expression literals as written, so those are escaped here.
import {readFileSync} from 'node:fs'

/**
 * The bundle is its own CommonJS wrapper: the file is one expression whose value, compiled as a
 * script, is the module function bin/run.js calls with (exports, require, module, __filename,
 * __dirname). Wrapping it at run time (Module.wrap) made a 1 MB cons string that V8 flattens into a
 * copy before compiling: 3.4 MB more RSS (870 page faults, ~4 % of `config get`'s CPU time here)
 * and 7 M more instructions. Loaded by a plain `require` (--debug, Node without vm.constants), the
 * wrapper Node adds defines `module`, and the file calls its function at once.
 */
export const selfWrapping = {
  banner: {js: '(function (run) { return typeof module === "object" && typeof exports === "object" ? run(exports, require, module, __filename, __dirname) : run })(function (exports, require, module, __filename, __dirname) {'},
  footer: {js: '})'},
}

/** Raw non-ASCII characters inside regex literals of bundled packages, by package file. */
const REGEX_CHARACTERS = [
  // ansis: `/[\u001B\u009B][[()#;?]*…/g` written with the raw characters.
  {file: /[\\/]node_modules[\\/]ansis[\\/]index\.m?js$/, raw: '\u009b', escaped: '\\x9b'},
]

export const asciiRegexLiterals = {
  name: 'ascii-regex-literals',
  setup(b) {
    for (const {file, raw, escaped} of REGEX_CHARACTERS) {
      b.onLoad({filter: file}, (args) => {
        // In a regex literal, as in a string, the escape means the same character.
        return {contents: readFileSync(args.path, 'utf8').split(raw).join(escaped), loader: 'js'}
      })
    }
  },
}

/** Fails the build when a bundle that bin/run.js reads itself has a non-ASCII byte (names where). */
export function assertAscii(file) {
  const bytes = readFileSync(file)
  const at = bytes.findIndex((byte) => byte > 0x7f)
  if (at === -1) return
  const context = bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8')
  throw new Error(
    `${file}: non-ASCII byte at offset ${at} (…${JSON.stringify(context)}…): every start would decode the bundle character by character. ` +
      'Escape it where it comes from (scripts/main-bundle.mjs REGEX_CHARACTERS for a regex literal in a package).',
  )
}
