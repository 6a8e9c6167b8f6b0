import {AppError} from '../errors/app-error.js'

/**
 * Escaping for values written into systemd unit files (systemd.syntax(7), systemd.service(5)).
 * `%` starts a specifier everywhere, so it is doubled; words with spaces, quotes or backslashes
 * are double-quoted with C-style escapes. A CR or LF cannot be represented: the install refuses.
 */

/** Throws SERVICE_VALUE_INVALID when `value` holds a line break (it would end the directive). */
export function refuseLineBreaks(what: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new AppError('SERVICE_VALUE_INVALID', `${what} contains a line break, which a service file cannot hold: ${JSON.stringify(value)}`, {
      hint: ['Use a path or value without line breaks, then re-run: openclaw gateway install'],
    })
  }
}

/** `%` -> `%%` (specifier escape), for values systemd does not unquote (paths, Description). */
export function escapeSpecifiers(value: string): string {
  return value.replace(/%/g, '%%')
}

/** One word of ExecStart= or one `KEY=value` of Environment=: quoted when it needs to be. */
export function quoteSystemdWord(what: string, value: string): string {
  refuseLineBreaks(what, value)
  const escaped = escapeSpecifiers(value)
  if (escaped !== '' && !/[\s"'\\;]/.test(escaped)) return escaped
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** A path value (WorkingDirectory=, EnvironmentFile=): taken verbatim by systemd apart from specifiers. */
export function systemdPath(what: string, value: string): string {
  refuseLineBreaks(what, value)
  return escapeSpecifiers(value)
}

/**
 * Splits an ExecStart= or Environment= value back into words (quotes and escapes removed,
 * `%%` -> `%`): the inverse of {@link quoteSystemdWord}, used to read an installed unit.
 */
export function splitSystemdWords(line: string): string[] {
  const words: string[] = []
  let i = 0
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++
    if (i >= line.length) break
    let word = ''
    if (line[i] === '"' || line[i] === "'") {
      const quote = line[i]!
      i++
      while (i < line.length && line[i] !== quote) {
        if (line[i] === '\\' && i + 1 < line.length) i++
        word += line[i]
        i++
      }
      i++
    } else {
      while (i < line.length && !/\s/.test(line[i]!)) word += line[i++]
    }
    words.push(word.replace(/%%/g, '%'))
  }
  return words
}
