/**
 * The current time for the system prompt's Runtime line, as en-GB's long form ("Friday, 4 December
 * 2026 at 21:28 CET"). In the host's zone it is built from Date's getters, without ICU: loading
 * ICU's date-formatting data adds ~8 MB to the RSS of a gateway that otherwise never needs it (and
 * the old `toLocaleString` call threw on every turn, `timeZoneName` being invalid with `dateStyle`).
 * A configured `agents.defaults.userTimezone` goes through Intl, which alone knows zone rules.
 */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const two = (n: number): string => String(n).padStart(2, '0')

/** `now` in `timeZone` (IANA), or in the host's zone when none is given or Intl rejects it. */
export function formatPromptTime(now: Date, timeZone?: string): string {
  if (timeZone !== undefined) {
    try {
      return new Intl.DateTimeFormat('en-GB', {timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short'}).format(now)
    } catch {
      // An unknown zone (config validation rejects them; an older Node may lack one): host zone.
    }
  }
  return formatHostTime(now)
}

/** The host-zone form, from Date's local getters and offset. */
export function formatHostTime(now: Date): string {
  const offset = -now.getTimezoneOffset()
  const zone = offset === 0 ? 'UTC' : `GMT${offset > 0 ? '+' : '-'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`
  return `${WEEKDAYS[now.getDay()]}, ${now.getDate()} ${MONTHS[now.getMonth()]} ${now.getFullYear()} at ${two(now.getHours())}:${two(now.getMinutes())} ${zone}`
}
