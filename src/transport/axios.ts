/**
 * How the transport reaches axios: loaded at the first request (so that importing the SDK does
 * not pay for it), unless a bundle registered its inlined copy first (the blocking flavour's
 * worker does, so that its file needs no `node_modules/axios`).
 */
import { fileURLToPath } from 'node:url';
import type { AxiosStatic } from 'axios';
import { distFileUrl, loadAtFirstUse } from '../runtime/load';

let axiosStatic: AxiosStatic | null = null;

/** Registers the axios that {@link useAxios} gives (a bundle's inlined copy). */
export function provideAxios(copy: AxiosStatic): void {
  axiosStatic = copy;
}

/**
 * axios: the registered copy; else this build's own, loaded now (`dist/transport/axios.cjs`,
 * ./axios-copy.ts); else, where that file is not beside the build (an app that bundled the SDK,
 * or the sources run as they are), the axios package's CommonJS build.
 */
export function useAxios(): AxiosStatic {
  axiosStatic ??= ownCopy() ?? loadAtFirstUse<AxiosStatic>('axios');
  return axiosStatic;
}

function ownCopy(): AxiosStatic | null {
  const file = fileURLToPath(distFileUrl('transport/axios.cjs'));
  try {
    return loadAtFirstUse<{ default: AxiosStatic }>(file).default;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes(file)) return null;
    throw error;
  }
}
