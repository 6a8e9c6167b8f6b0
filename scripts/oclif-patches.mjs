// What the build changes in @oclif/core's plugin loader (each patch checks that the text it replaces
// is still there, so an oclif update fails the build instead of silently undoing it), and the
// manifests it writes for it.
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'

// oclif sorts its command list with String#localeCompare, and the first call loads ICU's
// collation data: ~2.4 MB more RSS in every process (the long-running gateway included) and
// ~14 ms of start-up. Under the C/POSIX and English locales, ids made only of a-z, 0-9, '_', '-'
// and ':' (every openclaw id) sort by a plain per-character rank, so those compare without ICU.
// Any other locale (LC_ALL, LC_MESSAGES, LANG: what ICU reads, unset meaning C; Czech sorts "ch"
// after "h") or any other character still goes through localeCompare. The rank table is checked
// against ICU on every build. The locale is read once per sort, not per comparison (three
// environment lookups each), and the manifest lists commands in this order, so the sort (V8's
// TimSort) makes one pass over them.
const ROUTES_FILE = 'oclif.routes.json'
const COLLATION_RANKS = '_-:0123456789abcdefghijklmnopqrstuvwxyz'
const RANKED_ID = new RegExp(`^[${COLLATION_RANKS.replace(/[-\\\]^]/g, '\\$&')}]*$`)
const compareIdsSource = `function commandIdOrder() {
  const env = process.env
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || 'C'
  const ranked = /^(C|POSIX|en)([._@]|$)/.test(locale)
  return (a, b) => (ranked ? rankCompareIds(a.id, b.id) : undefined) ?? a.id.localeCompare(b.id)
}
function rankCompareIds(a, b) {
  const ranked = ${RANKED_ID}
  if (!ranked.test(a) || !ranked.test(b)) return undefined
  const ranks = ${JSON.stringify(COLLATION_RANKS)}
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return ranks.indexOf(a[i]) - ranks.indexOf(b[i])
  }
  return a.length - b.length
}`
const {commandIdOrder, rankCompareIds} = new Function(`${compareIdsSource}; return {commandIdOrder, rankCompareIds}`)()
{
  // Every pair of characters, alone and after a shared prefix, against ICU's English order.
  const samples = ['', 'gateway', 'gateway:run', 'config:get', 'config-x', 'config_x', 'config9', 'Config', 'config.get', 'é']
  for (const c of COLLATION_RANKS) samples.push(c, `${c}${c}`, `gateway:${c}`, `gateway:${c}x`)
  for (const a of samples) {
    for (const b of samples) {
      const ranked = rankCompareIds(a, b)
      const inTable = RANKED_ID.test(a) && RANKED_ID.test(b)
      if (inTable !== (ranked !== undefined)) throw new Error(`rank table check disagrees for ${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
      if (inTable && Math.sign(ranked) !== Math.sign(a.localeCompare(b, 'en'))) throw new Error(`command id order differs from ICU: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    }
  }
}

const OCLIF_SORT = '.sort((a, b) => a.id.localeCompare(b.id))'
// The manifest oclif reads on every start is the routing one (ROUTE_KEYS below), and it is read
// without oclif's text cache: oclif keeps the text of every JSON file it reads in a module-level map
// for the life of the process, though it parses it once (in the long-running gateway, heap held for
// nothing). Without dist/oclif.routes.json (a build in progress) oclif reads oclif.manifest.json as usual.
const OCLIF_MANIFEST_READ = 'const manifest = await (0, fs_1.readJson)(p);'
const readRoutesSource = `async function readRoutesManifest(p) {
  const {readFile} = require('node:fs/promises')
  const routes = (0, node_path_1.join)((0, node_path_1.dirname)(p), 'dist', ${JSON.stringify(ROUTES_FILE)})
  try {
    return JSON.parse(await readFile(routes, 'utf8'))
  } catch (error) {
    if (error.code !== 'ENOENT') throw error
  }
  return JSON.parse(await readFile(p, 'utf8'))
}`

// tinyglobby (with fdir and picomatch) serves only oclif's `pattern` command discovery; openclaw's
// explicit command map never globs, yet every start evaluated all three. Required on first use.
const OCLIF_GLOB_REQUIRE = 'const tinyglobby_1 = require("tinyglobby");'
// `Command.run(argv, config)` builds a second Config from the one oclif just loaded ("reloading
// config", meant for a config made by another copy of oclif) and loads every plugin's commands and
// topics again: the same result, ~1 % of `config get`'s instructions. A config made by this copy
// of oclif is used as it is.
const OCLIF_CONFIG_RELOAD = 'if (isConfig(opts)) {\n            debug(`reloading config from ${opts._base} to ${BASE}`);'

/** Replaces `find` in the file's text, or fails the build when oclif changed the text it patches. */
function replaceOnce(file, text, find, replacement) {
  if (!text.includes(find)) throw new Error(`${file}: the code scripts/oclif-patches.mjs replaces has changed (${JSON.stringify(find.slice(0, 60))}); update it`)
  return text.replace(find, replacement)
}

export const oclifPluginPatches = {
  name: 'oclif-plugin-patches',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, (args) => {
      let text = readFileSync(args.path, 'utf8')
      text = replaceOnce(args.path, text, OCLIF_SORT, '.sort(commandIdOrder())')
      text = replaceOnce(args.path, text, OCLIF_MANIFEST_READ, 'const manifest = await readRoutesManifest(p);')
      text = replaceOnce(args.path, text, OCLIF_GLOB_REQUIRE, 'const tinyglobby_1 = {get glob() { return require("tinyglobby").glob }};')
      return {contents: `${text}\n${compareIdsSource}\n${readRoutesSource}\n`, loader: 'js'}
    })
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]config\.js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      return {contents: replaceOnce(args.path, text, OCLIF_CONFIG_RELOAD, `if (isConfig(opts) && opts._base === BASE) return opts;\n        ${OCLIF_CONFIG_RELOAD}`), loader: 'js'}
    })
  },
}

/**
 * What oclif needs of a command to find and run it: ids and aliases, hidden (topics), args and
 * strict (where the command words end in `config get gateway.port`), the plugin fields, and the
 * summary (the description of a topic nobody declared). Flags, descriptions and examples, four
 * fifths of the manifest, are for help pages and completion, which read the full manifest
 * (src/commands/command-details.ts): every other start parses ~20 KB instead of ~125 KB.
 */
const ROUTE_KEYS = ['id', 'aliases', 'hiddenAliases', 'hidden', 'strict', 'args', 'summary', 'pluginName', 'pluginAlias', 'pluginType', 'isESM', 'relativePath', 'permutations', 'aliasPermutations', 'deprecateAliases']

/**
 * Writes the full oclif.manifest.json and the routing dist/oclif.routes.json from the plugin oclif
 * built from the command map: commands in the order oclif sorts them, compact and ASCII-only (other
 * characters as \u escapes, which JSON.parse reads back as they were): a single "…" would make V8
 * decode and hold the whole text as a two-byte string.
 */
export function writeManifests(root, manifest) {
  const order = commandIdOrder()
  const commands = Object.fromEntries(Object.entries(manifest.commands).sort(([a], [b]) => order({id: a}, {id: b})))
  const routes = Object.fromEntries(
    Object.entries(commands).map(([id, command]) => {
      const kept = Object.fromEntries(ROUTE_KEYS.filter((key) => command[key] !== undefined).map((key) => [key, command[key]]))
      // A topic nobody declared takes its description from the summary, or the description without one.
      if (kept.summary === undefined && command.description !== undefined) kept.description = command.description
      return [id, kept]
    }),
  )
  writeJson(path.join(root, 'oclif.manifest.json'), {...manifest, commands})
  writeJson(path.join(root, 'dist', ROUTES_FILE), {version: manifest.version, commands: routes})
}

function writeJson(file, value) {
  const text = JSON.stringify(value).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  writeFileSync(`${file}.${process.pid}`, text + '\n')
  renameSync(`${file}.${process.pid}`, file)
}
