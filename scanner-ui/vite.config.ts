import { defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['source'] },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/health': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});
