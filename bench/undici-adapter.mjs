/**
 * For the benchmark only: an axios adapter over an `undici` 7 `Pool`, the other candidate for the
 * SDK's default adapter. The SDK runs over it as over a user's axios instance (client option
 * `axios`), so that the two adapters are compared under the same SDK code, side by side.
 */
import axios from 'axios';
import { Pool } from 'undici';

/** An axios instance over a keep-alive undici Pool of `connections` to `origin`, and its close. */
export function undiciAxios(origin, connections = 64) {
  const pool = new Pool(origin, { connections });
  const adapter = async (config) => {
    const url = new URL(config.url, config.baseURL);
    const { statusCode, headers, body } = await pool.request({
      method: config.method.toUpperCase(),
      path: url.pathname + url.search,
      headers: config.headers.toJSON(),
      body: config.data,
      signal: config.signal,
    });
    return { data: await body.text(), status: statusCode, statusText: '', headers, config, request: {} };
  };
  return { instance: axios.create({ adapter }), close: () => pool.close() };
}

/** The raw client: one `Pool.request` GET, its body read and parsed as JSON. */
export async function undiciGet(pool, path) {
  const { body } = await pool.request({ method: 'GET', path });
  return body.json();
}
