const t0=performance.now()
for (const m of process.argv.slice(2)) { const a=performance.now(); await import(m); console.error(m, (performance.now()-a).toFixed(1)) }
console.error('total', (performance.now()-t0).toFixed(1))
