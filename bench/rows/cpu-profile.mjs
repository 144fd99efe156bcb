/**
 * The poll loop that bench/profile.mjs profiles: BENCH_PROFILE_PEER (a client of bench/peers.mjs)
 * polls BENCH_PROFILE_POLLS times with one loop per operation id in flight, against the emulator
 * run by the parent (another process). After a warm-up, V8's CPU profiler (node:inspector,
 * sampling every 100 µs) runs over the measured polls only; the profile goes to
 * BENCH_PROFILE_OUT, and the result line gives the polls and the process's CPU time over them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { report } from '../lib.mjs';
import { makePeers, pollLoops } from '../peers.mjs';

const input = JSON.parse(readFileSync(process.env.BENCH_PROTOCOLS_FILE, 'utf8'));
const name = process.env.BENCH_PROFILE_PEER;
const polls = Number(process.env.BENCH_PROFILE_POLLS ?? 5000);
const { peers, close } = makePeers([name], input);
const poll = peers[name];
await pollLoops(poll, input.ids.length, 1000);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const run = await pollLoops(poll, input.ids.length, polls);
const { profile } = await session.post('Profiler.stop');
session.disconnect();
close();
writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
report({ peer: name, polls, ...run });
