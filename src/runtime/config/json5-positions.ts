import {formatConfigPath, type PathSegment} from './issues.js'

/** 1-based line and column of a key (or of an array element's value) in a JSON5 text. */
export interface TextPosition {
  line: number
  column: number
}

/**
 * Where every key and array element of a JSON5 document starts, keyed by rendered config path
 * (`gateway.port`, `agents.list[0]`; '' is the root value). The json5 package reports no
 * positions, so this is a small scanner of its own. It runs only on text that already parsed
 * (issues are rare, so it runs only when one needs locating); on anything it does not
 * understand it stops and returns what it has found so far, never throws. A duplicated key
 * maps to its last occurrence, the one JSON5.parse keeps.
 */
export function json5Positions(text: string): Map<string, TextPosition> {
  const scanner = new Scanner(text)
  const out = new Map<string, TextPosition>()
  try {
    scanner.skipTrivia()
    out.set('', scanner.position())
    scanner.value([], out)
  } catch (error) {
    if (!(error instanceof ScanStop)) throw error
  }
  return out
}

/** The position of `segments` in a map from {@link json5Positions}, or of its nearest ancestor present there. */
export function nearestPosition(positions: ReadonlyMap<string, TextPosition>, segments: readonly PathSegment[]): TextPosition | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const found = positions.get(formatConfigPath(segments.slice(0, n)))
    if (found !== undefined) return found
  }
  return undefined
}

class ScanStop extends Error {}

class Scanner {
  private i = 0
  private line = 1
  private lineStart = 0

  constructor(private readonly text: string) {}

  position(): TextPosition {
    // Columns count UTF-16 code units from 1, as JSON5's own error positions do.
    return {line: this.line, column: this.i - this.lineStart + 1}
  }

  value(segments: PathSegment[], out: Map<string, TextPosition>): void {
    const ch = this.text[this.i]
    if (ch === '{') return this.object(segments, out)
    if (ch === '[') return this.array(segments, out)
    if (ch === '"' || ch === "'") this.string()
    else this.scalar()
  }

  private object(segments: PathSegment[], out: Map<string, TextPosition>): void {
    this.advance() // {
    for (;;) {
      this.skipTrivia()
      if (this.peek() === '}') return this.advance()
      const at = this.position()
      const key = this.key()
      const path = [...segments, key]
      out.set(formatConfigPath(path), at)
      this.skipTrivia()
      this.expect(':')
      this.skipTrivia()
      this.value(path, out)
      this.skipTrivia()
      if (this.peek() === ',') this.advance()
      else if (this.peek() !== '}') throw new ScanStop()
    }
  }

  private array(segments: PathSegment[], out: Map<string, TextPosition>): void {
    this.advance() // [
    for (let index = 0; ; index++) {
      this.skipTrivia()
      if (this.peek() === ']') return this.advance()
      const path = [...segments, index]
      out.set(formatConfigPath(path), this.position())
      this.value(path, out)
      this.skipTrivia()
      if (this.peek() === ',') this.advance()
      else if (this.peek() !== ']') throw new ScanStop()
    }
  }

  private key(): string {
    const ch = this.peek()
    if (ch === '"' || ch === "'") return this.string()
    let raw = ''
    // The class is written here, not as a module-level constant: V8 builds a \p{…} class when the
    // literal is first evaluated (~10 M instructions, 1 % of `config get`), and this module loads
    // on every config read while the scanner runs only when an issue needs locating.
    const identifierPart = /[\p{L}\p{N}_$\u200c\u200d\p{Mn}\p{Mc}\p{Pc}\\]/u
    while (this.i < this.text.length && identifierPart.test(this.text[this.i])) {
      raw += this.text[this.i]
      this.advance()
    }
    if (raw === '') throw new ScanStop()
    return raw.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  }

  /** A quoted string; returns its value (keys need it, escapes included). */
  private string(): string {
    const quote = this.text[this.i]
    this.advance()
    let out = ''
    for (;;) {
      if (this.i >= this.text.length) throw new ScanStop()
      const ch = this.text[this.i]
      if (ch === quote) {
        this.advance()
        return out
      }
      if (ch === '\\') {
        this.advance()
        out += this.escape()
        continue
      }
      out += ch
      this.advance()
    }
  }

  private escape(): string {
    const ch = this.text[this.i]
    this.advance()
    switch (ch) {
      case 'n': return '\n'
      case 't': return '\t'
      case 'r': return '\r'
      case 'b': return '\b'
      case 'f': return '\f'
      case 'v': return '\v'
      case '0': return '\0'
      case 'x': return this.hex(2)
      case 'u': return this.hex(4)
      case '\r':
        if (this.peek() === '\n') this.advance()
        return ''
      case '\n': case '\u2028': case '\u2029': return ''
      default: return ch ?? ''
    }
  }

  private hex(length: number): string {
    const digits = this.text.slice(this.i, this.i + length)
    for (let n = 0; n < length; n++) this.advance()
    return String.fromCharCode(Number.parseInt(digits, 16))
  }

  /** Numbers, true/false/null, Infinity/NaN: everything up to the next delimiter. */
  private scalar(): void {
    const start = this.i
    while (this.i < this.text.length && !/[\s,}\]/]/.test(this.text[this.i])) this.advance()
    if (this.i === start) throw new ScanStop()
  }

  skipTrivia(): void {
    for (;;) {
      const ch = this.text[this.i]
      if (ch === undefined) return
      if (ch === '/' && this.text[this.i + 1] === '/') {
        while (this.i < this.text.length && !isNewline(this.text[this.i])) this.advance()
      } else if (ch === '/' && this.text[this.i + 1] === '*') {
        const end = this.text.indexOf('*/', this.i + 2)
        if (end === -1) throw new ScanStop()
        while (this.i < end + 2) this.advance()
      } else if (/\s|\ufeff/.test(ch)) {
        this.advance()
      } else {
        return
      }
    }
  }

  private peek(): string | undefined {
    return this.text[this.i]
  }

  private expect(ch: string): void {
    if (this.text[this.i] !== ch) throw new ScanStop()
    this.advance()
  }

  /** Moves one code unit on, counting lines as JSON5 does (\n, \r\n, \r, U+2028, U+2029). */
  private advance(): void {
    const ch = this.text[this.i]
    this.i++
    if (ch === '\r' && this.text[this.i] === '\n') return
    if (ch !== undefined && isNewline(ch)) {
      this.line++
      this.lineStart = this.i
    }
  }
}

function isNewline(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029'
}
