import {describe, expect, it} from 'vitest'

import {chunkTelegramHtml} from '../../../../src/runtime/channels/telegram/outbound/chunk-html.js'
import {htmlToPlainText, markdownToTelegramHtml} from '../../../../src/runtime/channels/telegram/outbound/markdown-html.js'
import {parseTelegramHtml} from '../../../fakes/telegram-api/html.js'

describe('markdownToTelegramHtml (§10.2)', () => {
  it.each([
    ['bold', '**b** and __c__', '<b>b</b> and <b>c</b>'],
    ['italic', '*i* and _j_', '<i>i</i> and <i>j</i>'],
    ['snake_case stays', 'call my_var_name now', 'call my_var_name now'],
    ['strike and spoiler', '~~s~~ ||p||', '<s>s</s> <tg-spoiler>p</tg-spoiler>'],
    ['inline code escapes', 'use `a<b>&c`', 'use <code>a&lt;b&gt;&amp;c</code>'],
    ['model html is escaped', '<script>x</script> & "q"', '&lt;script&gt;x&lt;/script&gt; &amp; "q"'],
    ['https link', '[site](https://x.org/?a=1&b="2")', '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">site</a>'],
    ['javascript link stays text', '[x](javascript:alert(1))', '[x](javascript:alert(1))'],
    ['fenced block', '```ts\nconst a = 1 < 2\n```', '<pre><code class="language-ts">const a = 1 &lt; 2</code></pre>'],
    ['heading', '## Title', '<b>Title</b>'],
    ['quote', '> one\n> two', '<blockquote>one\ntwo</blockquote>'],
    ['list', '- a\n* b', '• a\n• b'],
    ['table', '| a | b |\n|---|---|\n| 1 | 2 |', '<pre>| a | b |\n| 1 | 2 |</pre>'],
    ['unpaired marker stays', 'a ** b', 'a ** b'],
  ])('%s', (_name, markdown, html) => {
    expect(markdownToTelegramHtml(markdown)).toBe(html)
    expect(parseTelegramHtml(html).ok).toBe(true)
  })
  it('decodes to plain text for the fallback', () => {
    expect(htmlToPlainText('<b>a &lt;b&gt;</b> &amp; &quot;')).toBe('a <b> & "')
  })
})

describe('chunkTelegramHtml (§10.3)', () => {
  const visible = (chunk: string) => {
    const parsed = parseTelegramHtml(chunk)
    if (!parsed.ok) throw new Error(`${parsed.error}: ${chunk.slice(0, 200)}`)
    return parsed.visible
  }
  it('a 10000-char answer with a code block becomes 3 valid chunks ≤ 4096, the block closed and reopened', () => {
    const prose = Array.from({length: 20}, (_, i) => `Paragraph ${i} ` + 'word '.repeat(20)).join('\n\n')
    const code = '```js\n' + Array.from({length: 200}, (_, i) => `const v${i} = ${i} < 3 && "x"`).join('\n') + '\n```'
    const html = markdownToTelegramHtml(prose + '\n\n' + code + '\n\n' + prose.slice(0, 2000))
    expect(visible(html).length).toBeGreaterThan(9500)
    const chunks = chunkTelegramHtml(html, {limit: 4096})
    expect(chunks).toHaveLength(3)
    const texts = chunks.map(visible)
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(4096)
    expect(texts.join('').replace(/\s/g, '')).toBe(visible(html).replace(/\s/g, ''))
    const split = chunks.filter((c) => c.includes('<pre><code class="language-js">'))
    expect(split.length).toBe(2)
  })
  it.each([
    ['breaks at the last blank line in the second half', 'aaaa bbbb\n\ncccc', 12, ['aaaa bbbb\n', 'cccc']],
    ['else at a newline', 'aaaa\nbbbb cccc', 10, ['aaaa', 'bbbb cccc']],
    ['else at a space', 'aaaa bbbb cccc', 10, ['aaaa bbbb', 'cccc']],
    ['else a hard cut', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['an entity counts as one and is never cut', '&amp;&amp;&amp;', 2, ['&amp;&amp;', '&amp;']],
    ['a surrogate pair is never cut', 'a😀b', 2, ['a', '😀', 'b']],
    ['bold across a cut is closed and reopened', '<b>aaaa bbbb</b>', 5, ['<b>aaaa</b>', '<b>bbbb</b>']],
    ['a reply within the limit is one chunk, as it is', '<b>hi</b> &amp; bye\n', 20, ['<b>hi</b> &amp; bye\n']],
    ['markup over the limit whose visible text fits is still one chunk', '<b>aaaa</b>', 4, ['<b>aaaa</b>']],
    ['nothing visible: no chunk', '<b> </b>\n', 100, []],
  ] as const)('%s', (_name, html, limit, expected) => {
    expect(chunkTelegramHtml(html, {limit})).toEqual(expected)
  })
  it('newline mode sends each paragraph alone and drops empty chunks', () => {
    expect(chunkTelegramHtml('<b>one</b>\n\n\n\ntwo\n\n   ', {limit: 100, mode: 'newline'})).toEqual(['<b>one</b>', 'two'])
  })
  it('plain mode treats < and & as text', () => {
    expect(chunkTelegramHtml('a<b & c', {limit: 4, plain: true})).toEqual(['a<b', '& c'])
  })
})
