/**
 * How the "best" policy of the detection-lag row was chosen: a simulation of `wait()` with the
 * real `backoff()` (first poll at once, each sleep counted from the answer, 2 ms per request),
 * over a grid of options. For each it prints the mean lag and polls for operations done after
 * 2.75–3.25 s, and the mean lag as a share of the operation's time over 1–64 s (so that the
 * choice is not tuned to 3 s alone). Run: `node bench/choose-policy.mjs` (after a build).
 */
import { backoff } from 'yc-operation';

const RTT_S = 0.002;

function simulate(policy, loS, hiS, runs) {
  let lag = 0;
  let polls = 0;
  let maxPolls = 0;
  for (let r = 0; r < runs; r++) {
    const doneS = loS + (hiS - loS) * Math.random();
    let t = RTT_S;
    let n = 1;
    while (t < doneS) {
      t += policy.intervalMs(n, Math.random()) / 1000 + RTT_S;
      n++;
    }
    lag += t - doneS;
    polls += n;
    maxPolls = Math.max(maxPolls, n);
  }
  return { lagS: lag / runs, polls: polls / runs, maxPolls };
}

const BANDS = [
  [1, 2],
  [2, 4],
  [4, 8],
  [8, 16],
  [16, 32],
  [32, 64],
];
const rows = [];
for (const initial of [0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
  for (const multiplier of [1.1, 1.15, 1.2, 1.25, 1.3, 1.4, 1.5])
    for (const jitter of [0, 0.1, 0.2]) {
      const policy = backoff({ initial, multiplier, jitter });
      const at3 = simulate(policy, 2.75, 3.25, 3000);
      const share = BANDS.reduce((sum, [lo, hi]) => sum + simulate(policy, lo, hi, 500).lagS / ((lo + hi) / 2), 0) / BANDS.length;
      rows.push({ initial, multiplier, jitter, lag3S: at3.lagS, polls3: at3.polls, maxPolls3: at3.maxPolls, lagShare1to64: share });
    }
const fit = rows
  .filter((r) => r.lag3S <= 0.3 && r.maxPolls3 <= 12 && r.lagShare1to64 <= 0.12)
  .sort((a, b) => a.polls3 - b.polls3 || a.lag3S - b.lag3S);
const round = (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v.toFixed(3))]));
console.log('backoff() defaults:', JSON.stringify(round(simulate(backoff(), 2.75, 3.25, 3000))));
console.log('fewest polls with lag ≤ 10 % at 3 s and ≤ 12 % from 1 to 64 s:');
for (const row of fit.slice(0, 8)) console.log(' ', JSON.stringify(round(row)));
