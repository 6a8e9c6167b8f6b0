/** What `getMe` said about a bot token. */
export type TelegramTokenCheck = {status: 'ok'; username: string} | {status: 'rejected'; description: string} | {status: 'unreachable'; reason: string}

/**
 * Calls the Bot API `getMe` with a short timeout (500 ms: onboarding must stay fast offline): a 401/404 means the token is wrong; a network
 * failure or timeout is only "unreachable" (the token is saved anyway, as `channels add` does).
 */
export async function checkTelegramToken(token: string, options: {apiRoot?: string; timeoutMs?: number} = {}): Promise<TelegramTokenCheck> {
  const root = (options.apiRoot ?? 'https://api.telegram.org').replace(/\/$/, '')
  let response: Response
  try {
    response = await fetch(`${root}/bot${token}/getMe`, {signal: AbortSignal.timeout(options.timeoutMs ?? 500)})
  } catch (error) {
    const cause = (error as {cause?: {code?: string}}).cause?.code
    return {status: 'unreachable', reason: (error as Error).name === 'TimeoutError' ? 'timed out' : (cause ?? (error as Error).message)}
  }
  const body = (await response.json().catch(() => ({}))) as {ok?: boolean; description?: string; result?: {username?: string}}
  if (response.status === 401 || response.status === 404) return {status: 'rejected', description: body.description ?? `HTTP ${response.status}`}
  if (body.ok === true && typeof body.result?.username === 'string') return {status: 'ok', username: body.result.username}
  return {status: 'unreachable', reason: body.description ?? `HTTP ${response.status}`}
}

/** `--check-key`: a cheap authenticated `GET <baseUrl>/models`; 401/403 = rejected. */
export async function checkProviderKey(provider: string, baseUrl: string, key: string, timeoutMs = 5000): Promise<'ok' | 'rejected' | 'unreachable'> {
  const headers: Record<string, string> = provider === 'anthropic' ? {'x-api-key': key, 'anthropic-version': '2023-06-01'} : {authorization: `Bearer ${key}`}
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, {headers, signal: AbortSignal.timeout(timeoutMs)})
    if (response.status === 401 || response.status === 403) return 'rejected'
    return response.ok ? 'ok' : 'unreachable'
  } catch {
    return 'unreachable'
  }
}
