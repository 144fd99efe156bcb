import { execFileSync } from 'node:child_process';

/** Builds the package once before the tests: worker threads load the prebuilt JavaScript. */
export default function setup(): void {
  if (process.env.YC_OPERATION_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
