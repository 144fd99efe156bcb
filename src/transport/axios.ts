/**
 * How the transport reaches axios: loaded at the first request (so that importing the SDK does
 * not pay for it), unless a bundle registered its inlined copy first (the blocking flavour's
 * worker does, so that its file needs no `node_modules/axios`).
 */
import type { AxiosStatic } from 'axios';
import { loadAtFirstUse } from '../runtime/load';

let axiosStatic: AxiosStatic | null = null;

/** Registers the axios that {@link useAxios} gives (a bundle's inlined copy). */
export function provideAxios(copy: AxiosStatic): void {
  axiosStatic = copy;
}

/** axios: the registered copy, else the package's CommonJS build, loaded now. */
export function useAxios(): AxiosStatic {
  axiosStatic ??= loadAtFirstUse<AxiosStatic>('axios');
  return axiosStatic;
}
