import chalk from 'chalk'

/** Colour only on a TTY stderr/stdout without NO_COLOR (operations.md §1.3). */
function colourEnabled(): boolean {
  return !process.env.NO_COLOR && Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb'
}

const wrap = (fn: (s: string) => string) => (text: string) => (colourEnabled() ? fn(text) : text)

export const paint = {
  red: wrap(chalk.red),
  yellow: wrap(chalk.yellow),
  green: wrap(chalk.green),
  dim: wrap(chalk.dim),
  bold: wrap(chalk.bold),
  cyan: wrap(chalk.cyan),
}
