import { defineConfig } from 'vite';

// Preact's JSX through the bundler's own transform (no plugin needed); `npm run dev` proxies the
// API to a running `izde serve` on :8080.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'], environment: 'node' },
} as Parameters<typeof defineConfig>[0]);
