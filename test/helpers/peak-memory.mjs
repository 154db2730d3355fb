// Preloaded (`node --import`) into a child process under a memory test: at exit it writes the process's peak
// memory to $PEAK_MEMORY_FILE. The RSS peak is the kernel's (VmHWM), not a sample; the heap and Buffer peaks
// are sampled and only explain where the RSS went. Plain JavaScript: it runs before tsx is registered.
import { readFileSync, writeFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { isMainThread } from 'node:worker_threads';

const file = process.env.PEAK_MEMORY_FILE;
if (file && isMainThread) {
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key]);
  };
  setInterval(sample, 50).unref();
  process.on('exit', (code) => {
    sample();
    let vmHwm = NaN;
    try {
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      if (kb) vmHwm = Number(kb) * 1024;
    } catch {
      // not Linux: resourceUsage().maxRSS below is the same figure
    }
    const maxRss = process.resourceUsage().maxRSS * 1024;
    writeFileSync(file, JSON.stringify({ code, peakRssBytes: Number.isNaN(vmHwm) ? maxRss : vmHwm, sampledPeaks: peak }));
  });
}
