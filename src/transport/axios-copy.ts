/**
 * The promise flavour's own axios, built to `dist/transport/axios.cjs` with axios inlined without
 * the parts the SDK never uses (tsup.config.ts), and required at the first request (./axios.ts).
 * Loading it adds about 1.5 MB to a process's RSS, where the axios package's Node build adds about
 * 16 MB (its fetch adapter and FormData probe load Node's fetch implementation; form-data loads mime-db).
 */
export { default } from 'axios';
