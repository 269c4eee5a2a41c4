/**
 * The cabinet's build and its servers (docs/cabinet.md). The cabinet calls `/graphql` on its own
 * origin, HTTP and WebSocket alike; the dev server (`npm start`) and `vite preview` (the browser
 * tests) pass that path on to the gateway at GATEWAY_URL, so no CORS and no gateway address in the bundle.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';
const proxy = { '/graphql': { target: gateway, ws: true } };

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: { host: '127.0.0.1', port: Number(process.env.CABINET_PORT ?? 3000), strictPort: true, proxy },
  preview: { proxy },
  build: { outDir: 'dist', emptyOutDir: true },
});
