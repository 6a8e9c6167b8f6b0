import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../../errors/app-error.js'
import {isPlainObject} from '../deep-merge.js'
import {formatConfigPath} from '../issues.js'
import {formatMegabytes, parseJson5, stripBom} from '../json5-file.js'
import {runConfigEdit, type ConfigOpsContext, type EditResultFields} from './edit-pipeline.js'
import {includeRefusal, originOf, refuseDroppedIncludes} from './include-sites.js'
import {applyMergePatch} from './merge-patch.js'
import {parseConfigPath} from './path-syntax.js'
import {getAtPath, kindOf} from './tree-ops.js'

/** Size limits of a patch document (config.md §10.2). */
export const MAX_PATCH_FILE_BYTES = 8 * 1024 * 1024
export const MAX_PATCH_STDIN_BYTES = 1024 * 1024

export interface PatchConfigInput {
  /** Read the patch from this file… */
  file?: string
  /** …or from this stream (the command passes stdin). */
  stdin?: AsyncIterable<Uint8Array | string>
  /** Paths whose arrays are replaced wholesale even when entries are dropped. */
  replacePaths?: readonly string[]
  dryRun?: boolean
  /** Resolves a relative `file` (the working directory). */
  cwd: string
}

/** `config patch --json` (config.md §10.2), plus warnings and the human reload hint. */
export interface PatchConfigResult extends EditResultFields {
  changedPaths: string[]
}

/**
 * `openclaw config patch`: applies a JSON5 merge patch to the top config file with the same
 * function as the `config.patch` RPC ({@link applyMergePatch}). Refused: dropping array entries
 * not listed in `replacePaths`, deleting (null) a key an `$include` provides, removing an
 * `$include` site, a redacted placeholder with no current value, and results that add issues.
 */
export async function patchConfig(ctx: ConfigOpsContext, input: PatchConfigInput): Promise<PatchConfigResult> {
  const replacePaths = (input.replacePaths ?? []).map((p) => formatConfigPath(parseConfigPath(p)))
  const patch = parsePatch(await readPatchText(input))
  const run = await runConfigEdit(ctx, 'patch', input.dryRun === true, ({current, old}) => {
    const merged = applyMergePatch(current.topTree, patch, {replacePaths})
    const [removal] = merged.removals
    if (removal !== undefined) {
      throw new AppError('CONFIG_EDIT_REFUSED', `config patch would remove entries from ${removal}; pass --replace-path ${removal} to replace it`, {
        hint: [`Replace it wholesale: openclaw config patch ... --replace-path ${removal}`],
      })
    }
    const [placeholder] = merged.unresolvedPlaceholders
    if (placeholder !== undefined) {
      throw new AppError('CONFIG_EDIT_REFUSED', `the patch contains a redacted placeholder at ${placeholder} with no current value`, {
        hint: [`Put the real value in the patch, or set it: openclaw config set ${placeholder} <value>`],
      })
    }
    const tree = merged.value as Record<string, unknown>
    refuseDroppedIncludes(current.topTree, tree, old.origins, ctx.paths, 'or list it with --replace-path', (site) => replacePaths.includes(site))
    for (const nulled of merged.nulledPaths) {
      if (old.authored !== null && getAtPath(old.authored, nulled).found && originOf(old.origins, nulled) !== undefined && !getAtPath(current.topTree, nulled).found) {
        throw includeRefusal(formatConfigPath(nulled), originOf(old.origins, nulled), ctx.paths)
      }
    }
    return tree
  })
  const {changedPaths, ...fields} = run
  return {changedPaths, ...fields}
}

async function readPatchText(input: PatchConfigInput): Promise<{text: string; name: string}> {
  if (input.file !== undefined) {
    const file = path.resolve(input.cwd, input.file)
    let size: number
    try {
      const stats = statSync(file)
      if (!stats.isFile()) throw usage(`--file ${input.file} is not a regular file`)
      size = stats.size
    } catch (error) {
      if (error instanceof AppError) throw error
      throw usage(`cannot read --file ${input.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((error as Error).message)}`)
    }
    if (size > MAX_PATCH_FILE_BYTES) throw usage(`--file ${input.file} is ${formatMegabytes(size)}; a patch file is limited to 8 MB`)
    return {text: stripBom(readFileSync(file, 'utf8')), name: input.file}
  }
  if (input.stdin === undefined) throw usage('give the patch with --file <path> or --stdin')
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of input.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)
    total += bytes.length
    if (total > MAX_PATCH_STDIN_BYTES) throw usage('the patch on stdin is larger than 1 MB; use --file for larger patches (up to 8 MB)')
    chunks.push(bytes)
  }
  return {text: stripBom(Buffer.concat(chunks).toString('utf8')), name: 'stdin'}
}

function parsePatch({text, name}: {text: string; name: string}): Record<string, unknown> {
  const parsed = parseJson5(text)
  if (!parsed.ok) throw usage(`the patch is not valid JSON5: ${name}:${parsed.line}:${parsed.column}: ${parsed.message}`)
  if (!isPlainObject(parsed.value)) throw usage(`the patch must be a JSON5 object, found ${kindOf(parsed.value)}`)
  return parsed.value
}

function usage(message: string): AppError {
  return new AppError('CONFIG_VALUE_INVALID', message, {hint: [`openclaw config patch --file ./patch.json5  (e.g. {gateway: {port: 19000}})`]})
}
