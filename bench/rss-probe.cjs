// Preloaded (-r) into a benchmarked process: records its peak RSS (KiB) on exit.
const fs = require('node:fs')
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS))
})
