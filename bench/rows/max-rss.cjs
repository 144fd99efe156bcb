// Preloaded (`node -r`) into a measured command: prints its peak RSS, in bytes, on stderr at exit.
process.on('exit', () => process.stderr.write(`\nMAXRSS ${process.resourceUsage().maxRSS * 1024}\n`));
