// Preloaded (-r) into a benchmarked process: records its peak RSS (KiB) and CPU time (user +
// system, µs, all threads) on exit, as JSON, to BENCH_USAGE_FILE. CPU time is what an A/B on a
// loaded machine can still compare: waiting for a core adds wall time, not CPU time.
const fs = require('node:fs')
process.on('exit', () => {
  const usage = process.resourceUsage()
  if (process.env.BENCH_USAGE_FILE) fs.writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({maxRss: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime}))
})
